import { parse } from 'csv-parse/sync';
import { startSimulator } from '../src';
import type { SimFileSummary, Simulator } from '../src';
import { normalizeId } from '../src/ids';
import { readAll } from './helpers';

const START = '2026-11-27T13:00:00Z';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function rowsOf(sim: Simulator, f: SimFileSummary): Promise<Record<string, string>[]> {
  const text = (await readAll(sim.control.fileCsv(f.id))).toString('utf8');
  return parse(text, { columns: true }) as Record<string, string>[];
}

describe('the simulated world', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ now: START, seed: 7 });
  });
  afterAll(() => sim.close());

  it('is a pure function of the seed', async () => {
    const twin = await startSimulator({ now: START, seed: 7 });
    const other = await startSimulator({ now: START, seed: 8 });
    try {
      const files = sim.control.listFiles();
      expect(twin.control.listFiles()).toEqual(files);
      expect(twin.orgId).toBe(sim.orgId);
      const f = files[5] as SimFileSummary;
      expect((await readAll(twin.control.fileCsv(f.id))).equals(await readAll(sim.control.fileCsv(f.id)))).toBe(true);
      expect(other.control.listFiles().map((x) => x.id)).not.toEqual(files.map((x) => x.id));
    } finally {
      await Promise.all([twin.close(), other.close()]);
    }
  });

  it('has 18-character 0AT ids with a valid checksum suffix', () => {
    for (const f of sim.control.listFiles()) {
      expect(f.id).toMatch(/^0AT[0-9A-Za-z]{15}$/);
      expect(normalizeId(f.id)).toBe(f.id);
    }
    expect(normalizeId(sim.orgId)).toBe(sim.orgId);
    expect(sim.orgId).toMatch(/^00D/);
  });

  it('publishes hourly files 1–6 h after the hour and daily files the next evening, sharing CreatedDate seconds', () => {
    const files = sim.control.listFiles();
    const hourly = files.filter((f) => f.interval === 'Hourly' && f.sequence === 1);
    const daily = files.filter((f) => f.interval === 'Daily');
    expect(hourly.length).toBeGreaterThan(500);
    expect(daily.length).toBeGreaterThan(20);
    for (const f of hourly) {
      const lag = Date.parse(f.createdDate) - (Date.parse(f.logDate) + HOUR);
      expect(lag).toBeGreaterThanOrEqual(HOUR);
      expect(lag).toBeLessThanOrEqual(6 * HOUR + 15 * 60_000);
      expect(f.createdDate).toMatch(/\.000Z$/);
    }
    for (const f of daily) {
      expect(f.sequence).toBe(0);
      expect(f.logDate).toMatch(/T00:00:00\.000Z$/);
      const created = Date.parse(f.createdDate) - Date.parse(f.logDate);
      expect(created).toBeGreaterThanOrEqual(DAY + 21 * HOUR);
      expect(created).toBeLessThan(DAY + 23.5 * HOUR);
    }
    const seconds = (fs: SimFileSummary[]) => {
      const counts = new Map<string, number>();
      for (const f of fs) counts.set(f.createdDate, (counts.get(f.createdDate) ?? 0) + 1);
      return [...counts.values()];
    };
    expect(Math.max(...seconds(daily))).toBeGreaterThan(2);
    expect(Math.max(...seconds(hourly))).toBeGreaterThan(2);
  });

  it('lists ground truth in (CreatedDate, Id) order', () => {
    const files = sim.control.listFiles();
    const sorted = [...files].sort(
      (a, b) => a.createdDate.localeCompare(b.createdDate) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    expect(files.map((f) => f.id)).toEqual(sorted.map((f) => f.id));
  });

  it('has late Sequence 2 files with only the new events and a much later CreatedDate', async () => {
    const files = sim.control.listFiles();
    const late = files.filter((f) => f.sequence === 2);
    expect(late.length).toBeGreaterThan(5);
    const l = late[0] as SimFileSummary;
    const first = files.find((f) => f.eventType === l.eventType && f.logDate === l.logDate && f.sequence === 1);
    if (!first) throw new Error('no Sequence 1 file');
    expect(Date.parse(l.createdDate) - Date.parse(first.createdDate)).toBeGreaterThanOrEqual(4 * HOUR);
    const ids1 = new Set((await rowsOf(sim, first)).map((r) => r.REQUEST_ID));
    const rows2 = await rowsOf(sim, l);
    expect(rows2).toHaveLength(l.rows);
    for (const r of rows2) expect(ids1.has(r.REQUEST_ID ?? '')).toBe(false);
  });

  it('makes each daily file exactly the union of its hourly files, in time order', async () => {
    const all = sim.control.listFiles({ includeFuture: true });
    const daily = all.find((f) => f.interval === 'Daily' && f.eventType === 'Login');
    if (!daily) throw new Error('no daily file');
    const dayStart = Date.parse(daily.logDate);
    const hourly = all.filter(
      (f) =>
        f.eventType === 'Login' &&
        f.interval === 'Hourly' &&
        Date.parse(f.logDate) >= dayStart &&
        Date.parse(f.logDate) < dayStart + DAY,
    );
    const dailyRows = await rowsOf(sim, daily);
    const hourlyRows = (await Promise.all(hourly.map((f) => rowsOf(sim, f)))).flat();
    const key = (r: Record<string, string>) => JSON.stringify(r);
    expect(dailyRows).toHaveLength(hourlyRows.length);
    expect(new Set(dailyRows.map(key))).toEqual(new Set(hourlyRows.map(key)));
    const times = dailyRows.map((r) => r.TIMESTAMP_DERIVED ?? '');
    expect([...times].sort()).toEqual(times);
  });

  it('writes CSV with the documented columns, matching LogFileFieldNames, and consistent timestamps', async () => {
    const files = sim.control.listFiles().filter((f) => f.interval === 'Hourly');
    const first = (type: string) => files.find((f) => f.eventType === type) as SimFileSummary;
    const login = await rowsOf(sim, first('Login'));
    // The Summer '26 Login header: new columns inside the header (after AUTHENTICATION_METHOD_REFERENCE) and at its end.
    const loginColumns = Object.keys(login[0] ?? {});
    expect(loginColumns).toHaveLength(34);
    expect(loginColumns.slice(20, 26)).toEqual([
      'AUTHENTICATION_METHOD_REFERENCE',
      'AUTHENTICATION_SERVICE_ID',
      'LOGIN_SUB_TYPE',
      'LOGIN_URL',
      'HTTP_REFERER',
      'USE_API_TOKEN',
    ]);
    expect(loginColumns.slice(-5)).toEqual([
      'URI_ID_DERIVED',
      'LOGIN_STATUS',
      'SOURCE_IP',
      'FORWARDED_FOR_IP',
      'COUNTRY_CODE',
    ]);
    expect(Object.keys((await rowsOf(sim, first('URI')))[0] ?? {}).at(-1)).toBe('USER_TYPE');
    expect(Object.keys((await rowsOf(sim, first('Logout')))[0] ?? {})).toHaveLength(21);
    expect(Object.keys((await rowsOf(sim, first('LoginAs')))[0] ?? {})).toHaveLength(17);
    for (const f of files.slice(0, 120)) {
      const text = (await readAll(sim.control.fileCsv(f.id))).toString('utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text).not.toMatch(/\r\n"/);
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(f.rows);
      const hourStart = Date.parse(f.logDate);
      for (const r of rows) {
        const derived = Date.parse(r.TIMESTAMP_DERIVED ?? '');
        expect(derived).toBeGreaterThanOrEqual(hourStart);
        expect(derived).toBeLessThan(hourStart + HOUR);
        const ts = r.TIMESTAMP ?? '';
        expect(ts).toMatch(/^\d{14}(\.\d{2,3})?$/);
        const compact = (r.TIMESTAMP_DERIVED ?? '').replace(/[-:T]/g, '').replace('Z', '');
        expect(compact.startsWith(ts)).toBe(true);
      }
    }
  });

  it('spreads the quirks of real files over the rows', async () => {
    const files = sim.control.listFiles().filter((f) => f.interval === 'Daily');
    const texts = await Promise.all(
      files.map(async (f) => (await readAll(sim.control.fileCsv(f.id))).toString('utf8')),
    );
    const all = texts.join('');
    expect(all).toContain('"Salesforce.com IP"');
    expect(all).toMatch(/"\d{14}\.\d{2}"/);
    expect(all).toMatch(/"\d{14}"/);
    expect(all).toContain('""Connector""');
    expect(all).toMatch(/"[^"]*\n[^"]*"/);
    expect(all).toContain('(KHTML, like Gecko)');
    expect(all).toContain(',"",');
    expect(all).toContain('zoë.müller@acme-sim.example');
    expect(all).toContain('田中太郎@acme-sim.example');
  });

  it('reveals files as the clock moves, and drops them 30 days after CreatedDate', async () => {
    const s = await startSimulator({ now: START, days: 2, seed: 7 });
    try {
      const before = s.control.listFiles();
      s.control.advance(6 * HOUR);
      const later = s.control.listFiles();
      expect(later.length).toBeGreaterThan(before.length);
      expect(later.map((f) => f.id)).toEqual(expect.arrayContaining(before.map((f) => f.id)));
      const oldest = before[0] as SimFileSummary;
      s.control.setNow(new Date(Date.parse(oldest.createdDate) + 30 * DAY - 1000).toISOString());
      expect(s.control.listFiles().map((f) => f.id)).toContain(oldest.id);
      s.control.advance(1000);
      expect(s.control.listFiles().map((f) => f.id)).not.toContain(oldest.id);
    } finally {
      await s.close();
    }
  });

  it("keeps files for the org's retention: up to a year with retentionDays 365, a day in Developer Edition", async () => {
    const s = await startSimulator({
      now: START,
      days: 365,
      seed: 7,
      retentionDays: 365,
      hourly: false,
      eventTypes: ['Login'],
    });
    try {
      const files = s.control.listFiles();
      const ageDays = (f: SimFileSummary) => (Date.parse(START) - Date.parse(f.logDate)) / DAY;
      const oldest = files.reduce((a, b) => (ageDays(a) > ageDays(b) ? a : b));
      expect(ageDays(oldest)).toBeGreaterThan(360);
      expect(files.some((f) => ageDays(f) >= 199 && ageDays(f) <= 201)).toBe(true);
      s.control.setNow(new Date(Date.parse(oldest.createdDate) + 365 * DAY).toISOString());
      expect(s.control.listFiles().map((f) => f.id)).not.toContain(oldest.id);
      s.control.setOrg({ retentionDays: 1 });
      const now = Date.parse(s.control.now());
      const left = s.control.listFiles();
      expect(left.length).toBeGreaterThan(0);
      expect(left.every((f) => now - Date.parse(f.createdDate) < DAY)).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('has only daily files when the org has no hourly files', async () => {
    const s = await startSimulator({ now: START, seed: 7, hourly: false, days: 3 });
    try {
      const files = s.control.listFiles();
      expect(files.length).toBeGreaterThan(0);
      expect(new Set(files.map((f) => f.interval))).toEqual(new Set(['Daily']));
    } finally {
      await s.close();
    }
  });

  it('runs a real clock in demo mode', async () => {
    const s = await startSimulator({ now: START, clock: 'real', days: 0 });
    try {
      const t0 = Date.parse(s.control.now());
      await new Promise((r) => setTimeout(r, 60));
      expect(Date.parse(s.control.now()) - t0).toBeGreaterThanOrEqual(50);
    } finally {
      await s.close();
    }
  });

  it('generates large files on demand, with events spread over the period', async () => {
    const f = sim.control.addFile({
      eventType: 'URI',
      logDate: '2026-11-26',
      interval: 'Daily',
      rows: 5000,
      createdDate: '2026-11-27T12:00:00Z',
    });
    expect(f).toMatchObject({
      rows: 5000,
      sequence: 0,
      createdDate: '2026-11-27T12:00:00.000Z',
      logDate: '2026-11-26T00:00:00.000Z',
    });
    const rows = await rowsOf(sim, f);
    expect(rows).toHaveLength(5000);
    expect(rows[0]?.TIMESTAMP_DERIVED?.startsWith('2026-11-26T00:')).toBe(true);
    expect(rows.at(-1)?.TIMESTAMP_DERIVED?.startsWith('2026-11-26T23:')).toBe(true);
    expect(sim.control.listFiles().map((x) => x.id)).toContain(f.id);
  });
});
