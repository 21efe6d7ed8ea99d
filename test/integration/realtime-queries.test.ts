/**
 * The real-time objects' queries against the simulator: the big-object rules (filters on EventDate and
 * EventIdentifier only, ORDER BY EventDate only, no OFFSET, Id empty), late visibility, retention, and the messages
 * a refusal turns into (which licence, which permission, which rule).
 */
import { startSimulator, type Simulator } from '@elfstream/salesforce-simulator';
import { probeRealtimeAccess } from '../../src/realtime/access';
import { REALTIME_OBJECTS } from '../../src/realtime/objects';
import { auditTrailQuery, storageEventQuery } from '../../src/realtime/soql';
import { SalesforceClient } from '../../src/salesforce/client';
import { SalesforceError } from '../../src/salesforce/errors';
import { SessionPool } from '../../src/salesforce/session-pool';
import { sourceConfig } from '../helpers/source-config';

const NOW = '2026-11-27T12:00:00.000Z';
let sim: Simulator;
let c: SalesforceClient;
const login = REALTIME_OBJECTS.get('LoginEvent')!;
const audit = REALTIME_OBJECTS.get('SetupAuditTrail')!;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, days: 1, now: NOW });
  const cr = sim.credentials;
  c = SalesforceClient.forSource(
    sourceConfig({
      id: 'rtq',
      label: 'Real-time queries',
      salesforce: {
        loginUrl: sim.url,
        apiVersion: '62.0',
        auth: { type: 'client-credentials', clientId: cr.clientId, clientSecret: cr.clientSecret },
      },
    }),
    { pool: new SessionPool() },
  );
});
afterAll(async () => {
  await sim.close();
});

const at = (offsetMs: number): string => new Date(Date.parse(NOW) + offsetMs).toISOString();

async function rejection(object: string, soql: string): Promise<SalesforceError> {
  try {
    await c.queryRealtime(object, soql, 100);
  } catch (err) {
    if (err instanceof SalesforceError) return err;
    throw err;
  }
  throw new Error(`query was accepted: ${soql}`);
}

test('storage events: the EventDate window returns exactly the visible events, ties included, Id empty', async () => {
  const added = sim.control.addRealtimeRecords('LoginEvent', [
    { time: at(-600_000) },
    { time: at(-120_000) },
    { time: at(-120_000) },
    { time: at(-10_000), visibleAfterMs: 30_000 },
  ]);
  const window = storageEventQuery(login, at(-3600_000), at(0));
  const first = await c.queryRealtime('LoginEvent', window, 100);
  expect(first.totalSize).toBe(3);
  expect(first.records.map((r) => r.EventIdentifier).sort()).toEqual(
    added
      .slice(0, 3)
      .map((r) => r.values.EventIdentifier)
      .sort(),
  );
  // Visible 20 s after now: a later read of the same window sees it.
  sim.control.advance(25_000);
  const later = await c.queryRealtime('LoginEvent', window, 100);
  expect(later.totalSize).toBe(4);
  // More than `max`: only the total comes back, for the caller to narrow the window.
  expect(await c.queryRealtime('LoginEvent', window, 2)).toEqual({ records: [], totalSize: 4 });
  const withId = await c.queryRealtime(
    'LoginEvent',
    `SELECT Id, EventDate FROM LoginEvent WHERE EventDate >= 2026-11-27T11:00:00Z`,
    100,
  );
  expect(new Set(withId.records.map((r) => r.Id))).toEqual(new Set(['000000000000000AAA']));
});

test('storage events: filters on other fields, ORDER BY other fields and OFFSET are refused with the rule', async () => {
  const filter = await rejection('LoginEvent', `SELECT EventDate FROM LoginEvent WHERE Username = 'a@b.c'`);
  expect(filter.kind).toBe('invalid-request');
  expect(filter.errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
  expect(filter.message).toMatch(/^Salesforce rejected the query of LoginEvent \(INVALID_QUERY_FILTER_OPERATOR\)/);
  expect(filter.message).toMatch(/queried only by EventDate \(and EventIdentifier\), without OFFSET/);
  expect(filter.message).toMatch(/filtered only on EventDate and EventIdentifier, not Username/);

  const idOnly = await rejection('LoginEvent', `SELECT EventDate FROM LoginEvent WHERE EventIdentifier = 'x'`);
  expect(idOnly.message).toMatch(/filter on EventDate alone, or on EventDate and EventIdentifier together/);

  const order = await rejection(
    'LoginEvent',
    'SELECT EventDate FROM LoginEvent WHERE EventDate > 2026-11-27T00:00:00Z ORDER BY Username',
  );
  expect(order.message).toMatch(/ORDER BY is allowed only on EventDate/);

  const offset = await rejection(
    'LoginEvent',
    'SELECT EventDate FROM LoginEvent WHERE EventDate > 2026-11-27T00:00:00Z LIMIT 10 OFFSET 10',
  );
  expect(offset.message).toMatch(/OFFSET is not supported on big objects/);
});

test('SetupAuditTrail: keyset (CreatedDate, Id) over ties on CreatedDate, without gaps or repeats', async () => {
  const added = sim.control.addRealtimeRecords('SetupAuditTrail', [
    { time: at(-300_000) },
    { time: at(-60_000) },
    { time: at(-60_000) },
    { time: at(-60_000) },
  ]);
  const seen: string[] = [];
  let cursor: { through: string; after?: { createdDate: string; id: string } } = { through: at(-3600_000) };
  for (;;) {
    const page = await c.queryRealtime('SetupAuditTrail', auditTrailQuery(audit, cursor, at(60_000), 2), 2);
    if (page.records.length === 0) break;
    for (const r of page.records) seen.push(r.Id as string);
    const last = page.records.at(-1)!;
    cursor = { through: cursor.through, after: { createdDate: last.CreatedDate as string, id: last.Id as string } };
  }
  expect(seen).toHaveLength(4);
  expect(new Set(seen)).toEqual(new Set(added.map((r) => r.values.Id)));
});

test('access: a missing licence or permission names what to grant; verify probes each object', async () => {
  expect(await probeRealtimeAccess(c, ['LoginEvent', 'SetupAuditTrail'], Date.parse(NOW))).toEqual([
    { object: 'LoginEvent', ok: true },
    { object: 'SetupAuditTrail', ok: true },
  ]);
  sim.control.setOrg({ viewRealTimeEventMonitoringData: false, viewSetupAndConfiguration: false });
  try {
    const access = await probeRealtimeAccess(c, ['LoginEvent', 'SetupAuditTrail'], Date.parse(NOW));
    expect(access.map((a) => a.ok)).toEqual([false, false]);
    expect(access[0]!.problem).toMatch(
      /^LoginEvent is not accessible to the integration user \(INVALID_TYPE\): .*Shield or Event Monitoring add-on licence, and the permission 'View Real-Time Event Monitoring Data'/,
    );
    expect(access[1]!.problem).toMatch(/SetupAuditTrail is not accessible .*'View Setup and Configuration'/);
  } finally {
    sim.control.setOrg({ viewRealTimeEventMonitoringData: true, viewSetupAndConfiguration: true });
  }
});

test('retention: storage events older than 180 days are gone', async () => {
  sim.control.addRealtimeRecords('LogoutEvent', [{ time: at(-181 * 86_400_000) }, { time: at(-179 * 86_400_000) }]);
  const r = await c.queryRealtime(
    'LogoutEvent',
    storageEventQuery(REALTIME_OBJECTS.get('LogoutEvent')!, at(-200 * 86_400_000), at(0)),
    100,
  );
  expect(r.totalSize).toBe(1);
});
