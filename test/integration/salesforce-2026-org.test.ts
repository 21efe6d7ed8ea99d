/**
 * A Salesforce org as they are in 2026, end to end on the real dev server: API 68.0 chosen by `apiVersion: auto`,
 * login at the My Domain-style URL with an OAuth flow, daily files only (no `Interval` field), CspViolation and a type
 * elfstream has never heard of, the Summer '26 Login header, blobs served chunked as `application/octetstream`, and a
 * retention of 365 days with a backfill 200 days back. Every file's rows land exactly once, typed.
 */
import type { SimFileSummary } from '@elfstream/salesforce-simulator';
import { isKnownEventType } from '../../src/salesforce/event-types';
import { backfillSignal } from '../../src/workflows/messages';
import { duplicates, readFileSinkEvents, type OutputEvent } from '../helpers/output';
import {
  createSourceHarness,
  DAY,
  simulatedStart,
  startSourceWorkflow,
  waitForStatus,
  type AuthType,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

const NEW_TYPE = 'AgentActionTrace';
const TYPES = ['Login', 'CspViolation', NEW_TYPE];

function rowsByFile(events: OutputEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) {
    const id = (e.p_source_file as { id: string }).id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('an org of 2026 (API 68.0, daily files only, a year of retention)', () => {
  const t = useTestServer();

  it.each<AuthType>(['client-credentials', 'oauth-password'])(
    'ingests live files and a backfill 200 days back exactly once, typed, with %s auth',
    async (auth) => {
      const requests: string[] = [];
      // Daily files appear the next evening (UTC) in one batch: two days back always hold one, whatever the hour.
      const simNow = simulatedStart();
      const h = await createSourceHarness(t, {
        auth,
        apiVersion: 'auto',
        loginAt: 'instance',
        sourcePrefix: 'org2026',
        sim: {
          now: simNow,
          days: 365,
          retentionDays: 365,
          hourly: false,
          eventTypes: TYPES,
          rowsPerFile: { min: 1, max: 2 },
          log: (line) => requests.push(line),
        },
        settings: {
          eventTypes: `[${TYPES.join(', ')}]`,
          interval: 'auto',
          retention: '365d',
          startFrom: new Date(Date.parse(simNow) - 2 * DAY).toISOString(),
        },
      });
      try {
        expect(isKnownEventType(NEW_TYPE)).toBe(false);
        await h.withWorker(async () => {
          const handle = await startSourceWorkflow(t, h);
          await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 120_000);
          const now = Date.parse(h.sim.control.now());
          const from = new Date(now - 201 * DAY).toISOString();
          const to = new Date(now - 199 * DAY).toISOString();
          await handle.signal(backfillSignal, { from, to });
          const status = await waitForStatus(
            handle,
            (s) => s.backfills.some((b) => b.state === 'completed' || b.state === 'failed'),
            180_000,
          );
          const backfill = status.backfills[0]!;
          expect(backfill.state).toBe('completed');
          expect(status.lastCycle?.error).toBeUndefined();

          const files = h.sim.control.listFiles();
          expect(files.every((f) => f.interval === 'Daily')).toBe(true);
          // The source starts two (simulated) days before the simulated now.
          const startFrom = Date.parse(h.config.sources[0]!.startFrom);
          const live = files.filter((f) => Date.parse(f.createdDate) >= startFrom);
          expect(live.length).toBeGreaterThan(0);
          const old = files.filter((f) => f.logDate >= from && f.logDate < to);
          expect(new Set(old.map((f) => f.eventType))).toEqual(new Set(TYPES));
          const expected: SimFileSummary[] = [...live, ...old];
          expect(backfill.filesListed).toBe(old.length);

          const events = readFileSinkEvents(h.outputDir);
          expect(duplicates(events.map((e) => e.p_row_id))).toEqual([]);
          expect(rowsByFile(events)).toEqual(Object.fromEntries(expected.map((f) => [f.id, f.rows])));

          // p_log_type is Salesforce.<EventType exactly as in the file>.
          expect(new Set(events.map((e) => e.p_log_type))).toEqual(
            new Set(['Salesforce.Login', 'Salesforce.CspViolation', `Salesforce.${NEW_TYPE}`]),
          );
          // The unknown type is typed from LogFileFieldTypes (RUN_TIME is a Number there).
          const newest = events.filter((e) => e.p_log_type === `Salesforce.${NEW_TYPE}`);
          expect(newest.length).toBeGreaterThan(0);
          expect(newest.every((e) => typeof e.RUN_TIME === 'number')).toBe(true);
          // The Summer '26 Login header: its new columns reach the output by name, wherever they sit.
          const logins = events.filter((e) => e.p_log_type === 'Salesforce.Login');
          expect(logins.every((e) => typeof e.COUNTRY_CODE === 'string' && typeof e.LOGIN_URL === 'string')).toBe(true);
          expect(logins.some((e) => 'LOGIN_STATUS' in e && 'SOURCE_IP' in e)).toBe(true);

          // apiVersion auto chose 68.0: every versioned request used it.
          const versioned = requests.filter((l) => /\/services\/data\/v\d/.test(l));
          expect(versioned.length).toBeGreaterThan(0);
          expect(versioned.every((l) => l.includes('/services/data/v68.0/'))).toBe(true);
          expect(requests.some((l) => /\/LogFile 200 /.test(l))).toBe(true);
          await handle.terminate('test done');
        });
      } finally {
        await h.close();
      }
    },
    420_000,
  );
});
