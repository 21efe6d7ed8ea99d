/**
 * EventLogFile listing against the simulator: keyset paging by (CreatedDate, Id), nextRecordsUrl batches, ties,
 * late Sequence files, the settle window, intervals and hourly detection, LogDate backfills, field layouts.
 */
import { createInterface } from 'node:readline';
import { SalesforceClient, type FilesPage } from '../../src/salesforce/client';
import { resolveInterval } from '../../src/salesforce/event-log-file';
import { SessionPool } from '../../src/salesforce/session-pool';
import type { EventLogFileMeta, LogInterval } from '../../src/salesforce/types';
import { startSimulator } from '@elfstream/salesforce-simulator';
import { sourceConfig } from '../helpers/source-config';
import type { SimFileSummary, Simulator } from '@elfstream/salesforce-simulator';

let sim: Simulator;
let c: SalesforceClient;
const EPOCH = '2000-01-01T00:00:00Z';

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 42, days: 7, now: '2026-11-27T12:59:40Z' });
  c = makeClient();
  await c.login();
});
afterAll(async () => {
  await sim.close();
});

function makeClient(): SalesforceClient {
  const cr = sim.credentials;
  const source = sourceConfig({
    id: 'listing',
    label: 'Listing',
    salesforce: {
      loginUrl: sim.url,
      apiVersion: '62.0',
      auth: { type: 'client-credentials', clientId: cr.clientId, clientSecret: cr.clientSecret },
    },
  });
  return SalesforceClient.forSource(source, { pool: new SessionPool() });
}

function truth(interval: LogInterval, filter: (f: SimFileSummary) => boolean = () => true): SimFileSummary[] {
  return sim.control.listFiles().filter((f) => f.interval === interval && filter(f));
}

function meta(f: SimFileSummary): Omit<EventLogFileMeta, 'apiVersion'> {
  return {
    id: f.id,
    eventType: f.eventType,
    logDate: f.logDate,
    createdDate: f.createdDate,
    interval: f.interval,
    sequence: f.sequence,
    logFileLength: f.logFileLength,
  };
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ground-truth files strictly after a (CreatedDate, Id) cursor. */
function after(files: SimFileSummary[], cursor: { createdDate: string; id: string }): SimFileSummary[] {
  return files.filter(
    (f) => f.createdDate > cursor.createdDate || (f.createdDate === cursor.createdDate && f.id > cursor.id),
  );
}

/** Walks the keyset from `after` until the listing says there is no more. */
async function walk(
  list: (after?: { createdDate: string; id: string }) => Promise<FilesPage>,
  after?: { createdDate: string; id: string },
): Promise<{ files: EventLogFileMeta[]; pages: number }> {
  const files: EventLogFileMeta[] = [];
  let pages = 0;
  let cursor = after;
  for (;;) {
    const page = await list(cursor);
    pages += 1;
    files.push(...page.files);
    const last = page.files[page.files.length - 1];
    if (last) cursor = { createdDate: last.createdDate, id: last.id };
    if (!page.more) return { files, pages };
    expect(page.files.length).toBeGreaterThan(0);
  }
}

const newFiles =
  (q: { interval?: LogInterval; eventTypes?: string[] | '*'; pageSize?: number; createdBefore?: string } = {}) =>
  (after?: { createdDate: string; id: string }) =>
    c.listNewFiles({
      eventTypes: q.eventTypes ?? '*',
      interval: q.interval ?? 'Hourly',
      createdFrom: EPOCH,
      createdBefore: q.createdBefore ?? sim.control.now(),
      pageSize: q.pageSize ?? 200,
      after,
    });

describe('listNewFiles', () => {
  it('walks more than 600 hourly files in pages of 200, each exactly once, in (CreatedDate, Id) order', async () => {
    const expected = truth('Hourly');
    expect(expected.length).toBeGreaterThan(600);
    const { files, pages } = await walk(newFiles({ pageSize: 200 }));
    expect(pages).toBeGreaterThanOrEqual(4);
    expect(files.map((f) => f.id)).toEqual(expected.map((f) => f.id));
    expect(files.map(({ apiVersion: _v, ...f }) => f)).toEqual(expected.map(meta));
    expect(files.every((f) => f.createdDate.endsWith('Z') && f.logDate.endsWith('Z'))).toBe(true);
  });

  it('follows nextRecordsUrl when Salesforce splits a page into batches', async () => {
    const expected = truth('Hourly');
    const before = sim.control.stats().requests;
    const page = await c.listNewFiles({
      eventTypes: '*',
      interval: 'Hourly',
      createdFrom: EPOCH,
      createdBefore: sim.control.now(),
      pageSize: 650,
      batchSize: 200,
    });
    expect(page.more).toBe(true);
    expect(page.files.map((f) => f.id)).toEqual(expected.slice(0, 650).map((f) => f.id));
    // 651 records in batches of 200: the query plus three nextRecordsUrl pages.
    expect(sim.control.stats().requests - before).toBe(4);
  });

  it('reports no more when the last page is exactly full', async () => {
    const expected = truth('Daily', (f) => f.eventType === 'Login');
    const page = await c.listNewFiles({
      eventTypes: ['Login'],
      interval: 'Daily',
      createdFrom: EPOCH,
      createdBefore: sim.control.now(),
      pageSize: expected.length,
    });
    expect(page.files).toHaveLength(expected.length);
    expect(page.more).toBe(false);
  });

  it('filters interval and event types', async () => {
    const { files } = await walk(newFiles({ interval: 'Daily', eventTypes: ['Login', 'Logout'], pageSize: 7 }));
    const expected = truth('Daily', (f) => f.eventType === 'Login' || f.eventType === 'Logout');
    expect(expected.length).toBeGreaterThan(7);
    expect(files.map((f) => f.id)).toEqual(expected.map((f) => f.id));
    expect(files.every((f) => f.interval === 'Daily' && f.sequence === 0)).toBe(true);
  });

  it('includes createdFrom and createdBefore themselves', async () => {
    const expected = truth('Hourly');
    const first = expected[10] as SimFileSummary;
    const sameSecond = expected.filter((f) => f.createdDate === first.createdDate);
    const page = await c.listNewFiles({
      eventTypes: '*',
      interval: 'Hourly',
      createdFrom: first.createdDate,
      createdBefore: first.createdDate,
      pageSize: 100,
    });
    expect(page.files.map((f) => f.id)).toEqual(sameSecond.map((f) => f.id));
  });

  it('returns files that share a CreatedDate exactly once across page boundaries and from a mid-tie checkpoint', async () => {
    sim.control.advance(60_000);
    const at = new Date(Math.floor(Date.parse(sim.control.now()) / 1000) * 1000 - 30_000).toISOString();
    const ties = ['Login', 'Logout', 'URI', 'LoginAs', 'API'].map((eventType) =>
      sim.control.addFile({ eventType, logDate: at, interval: 'Hourly', createdDate: at, rows: 3 }),
    );
    const all = truth('Hourly');
    const before = all.filter((f) => f.createdDate < at);
    const checkpoint = before[before.length - 1] as SimFileSummary;
    const cursor = { createdDate: checkpoint.createdDate, id: checkpoint.id };
    const { files } = await walk(newFiles({ pageSize: 2 }), cursor);
    expect(files.map((f) => f.id)).toEqual(after(all, cursor).map((f) => f.id));
    const sorted = ties.map((t) => t.id).sort(byCodeUnit);
    expect(files.map((f) => f.id).filter((id) => sorted.includes(id))).toEqual(sorted);

    const mid = { createdDate: at, id: sorted[1] as string };
    const rest = await walk(newFiles({ pageSize: 2 }), mid);
    expect(rest.files.map((f) => f.id)).toEqual(after(all, mid).map((f) => f.id));
    expect(rest.files.map((f) => f.id).filter((id) => sorted.includes(id))).toEqual(sorted.slice(2));
  });

  it('picks up a late Sequence file for an old hour once, after the checkpoint', async () => {
    const all = truth('Hourly');
    const last = all[all.length - 1] as SimFileSummary;
    const checkpoint = { createdDate: last.createdDate, id: last.id };
    sim.control.advance(10 * 60_000);
    const oldHour = all.find((f) => f.eventType === 'Login') as SimFileSummary;
    const late = sim.control.addFile({ eventType: 'Login', logDate: oldHour.logDate, interval: 'Hourly', rows: 4 });
    expect(late.sequence).toBeGreaterThanOrEqual(2);
    const { files } = await walk(newFiles(), checkpoint);
    // Seeded files published during the ten minutes come too; the late file comes exactly once.
    expect(files.map((f) => f.id)).toEqual(after(truth('Hourly'), checkpoint).map((f) => f.id));
    expect(files.filter((f) => f.id === late.id)).toEqual([
      expect.objectContaining({ logDate: oldHour.logDate, sequence: late.sequence, interval: 'Hourly' }),
    ]);
    const end = files[files.length - 1] as EventLogFileMeta;
    const again = await walk(newFiles(), { createdDate: end.createdDate, id: end.id });
    expect(again.files).toEqual([]);
  });

  it('leaves files younger than the settle window for the next cycle', async () => {
    sim.control.advance(60_000);
    const fresh = sim.control.addFile({
      eventType: 'URI',
      logDate: sim.control.now(),
      interval: 'Hourly',
      rows: 2,
    });
    const settled = new Date(Date.parse(sim.control.now()) - 5 * 60_000).toISOString();
    const without = await walk(newFiles({ createdBefore: settled }));
    expect(without.files.map((f) => f.id)).not.toContain(fresh.id);
    const withIt = await walk(newFiles());
    expect(withIt.files.map((f) => f.id)).toContain(fresh.id);
  });

  it('rejects a bad page size without calling Salesforce', async () => {
    await expect(newFiles({ pageSize: 0 })()).rejects.toMatchObject({ kind: 'invalid-request' });
  });
});

describe('listFilesByLogDate', () => {
  it('lists one day of LogDate in (CreatedDate, Id) order with keyset paging', async () => {
    const days = [...new Set(truth('Hourly').map((f) => f.logDate.slice(0, 10)))].sort();
    const day = days[2] as string;
    const from = `${day}T00:00:00.000Z`;
    const to = new Date(Date.parse(from) + 86_400_000).toISOString();
    const expected = truth('Hourly', (f) => f.logDate >= from && f.logDate < to);
    expect(expected.length).toBeGreaterThan(50);
    const { files, pages } = await walk((after) =>
      c.listFilesByLogDate({
        eventTypes: '*',
        interval: 'Hourly',
        logDateFrom: from,
        logDateTo: to,
        pageSize: 50,
        after,
      }),
    );
    expect(pages).toBeGreaterThan(1);
    expect(files.map((f) => f.id)).toEqual(expected.map((f) => f.id));
  });
});

describe('hourly detection', () => {
  it('reports hourly files, and daily only when the org has no hourly files (auto → Daily)', async () => {
    expect((await makeClient().login()).hourlyAvailable).toBe(true);
    sim.control.setOrg({ hourlyEnabled: false });
    try {
      const org = await makeClient().login();
      expect(org.hourlyAvailable).toBe(false);
      expect(resolveInterval('auto', org.hourlyAvailable)).toBe('Daily');
      const daily = await walk(newFiles({ interval: 'Daily' }));
      expect(daily.files.length).toBeGreaterThan(0);
      expect(daily.files.map((f) => f.id)).toEqual(truth('Daily').map((f) => f.id));
    } finally {
      sim.control.setOrg({ hourlyEnabled: true });
    }
  });
});

describe('getFieldLayout', () => {
  it('returns the declared CSV layout of a file', async () => {
    const file = truth('Hourly', (f) => f.eventType === 'Login')[0] as SimFileSummary;
    const layout = await c.getFieldLayout(file.id);
    const header = await firstLine(sim.control.fileCsv(file.id));
    expect(layout.fieldNames?.split(',')).toEqual(header.split(',').map((h) => h.replace(/"/g, '')));
    expect(layout.fieldTypes?.split(',').length).toBe(layout.fieldNames?.split(',').length);
  });

  it('says not-found for a deleted file', async () => {
    const file = truth('Hourly', (f) => f.eventType === 'URI')[3] as SimFileSummary;
    sim.control.deleteFile(file.id);
    await expect(c.getFieldLayout(file.id)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  const rl = createInterface({ input: stream });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}
