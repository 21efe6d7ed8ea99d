import { startSimulator, SimulatorControlClient } from '../src';
import type { Simulator } from '../src';
import { rawRequest, readAll } from './helpers';

describe('HTTP control API and SimulatorControlClient', () => {
  let sim: Simulator;
  let client: SimulatorControlClient;
  beforeAll(async () => {
    sim = await startSimulator({ now: '2026-11-27T13:00:00Z', days: 2 });
    client = new SimulatorControlClient(sim.url + '/');
  });
  afterAll(() => sim.close());

  it('reports non-secret facts about the org', async () => {
    expect(await client.info()).toEqual({
      url: sim.url,
      instanceUrl: sim.instanceUrl,
      orgId: sim.orgId,
      userId: sim.userId,
      username: sim.username,
    });
  });

  it('reads and moves the clock', async () => {
    expect(await client.now()).toBe('2026-11-27T13:00:00.000Z');
    await client.advance(90_000);
    expect(await client.now()).toBe('2026-11-27T13:01:30.000Z');
    expect(sim.control.now()).toBe('2026-11-27T13:01:30.000Z');
    await client.setNow('2026-11-27T13:00:00Z');
    expect(await client.now()).toBe('2026-11-27T13:00:00.000Z');
  });

  it('lists, adds, downloads and deletes files', async () => {
    const listed = await client.listFiles();
    expect(listed).toEqual(sim.control.listFiles());
    const future = await client.listFiles({ includeFuture: true });
    expect(future.length).toBeGreaterThan(listed.length);
    const added = await client.addFile({
      eventType: 'Logout',
      logDate: '2026-11-27T10:00:00Z',
      interval: 'Hourly',
      rows: 3,
      sequence: 4,
    });
    expect(added).toMatchObject({
      eventType: 'Logout',
      interval: 'Hourly',
      sequence: 4,
      rows: 3,
      createdDate: '2026-11-27T13:00:00.000Z',
    });
    const csv = await readAll(await client.fileCsv(added.id));
    expect(csv.equals(await readAll(sim.control.fileCsv(added.id)))).toBe(true);
    expect(csv.length).toBe(added.logFileLength);
    await client.deleteFile(added.id);
    expect((await client.listFiles()).map((f) => f.id)).not.toContain(added.id);
    await expect(client.deleteFile(added.id)).rejects.toThrow(`no such file: ${added.id}`);
    await expect(client.fileCsv('0AT5j0000AAAAAAAAA')).rejects.toThrow('no such file');
  });

  it('injects and clears faults, flips org switches and reports stats', async () => {
    await client.inject({ kind: 'http-error', status: 503, count: 1, pathContains: '/limits' });
    const r = await rawRequest(`${sim.instanceUrl}/services/data/v62.0/limits`);
    expect(r.status).toBe(503);
    await client.inject({ kind: 'http-error', status: 500, count: 5 });
    await client.clearFaults();
    expect((await rawRequest(`${sim.instanceUrl}/services/data/v62.0/limits`)).status).toBe(401);
    await client.setOrg({ apiLimit: 50, apiUsed: 7 });
    const stats = await client.stats();
    expect(stats).toMatchObject({ apiLimit: 50, apiUsed: 7 });
    expect(stats.requests).toBeGreaterThanOrEqual(2);
    await client.setOrg({ apiLimit: 100_000, apiUsed: 0 });
    await client.setOrg({ hourlyEnabled: false });
    expect(new Set((await client.listFiles()).map((f) => f.interval))).toEqual(new Set(['Daily']));
    await client.setOrg({ hourlyEnabled: true });
  });

  it('rejects malformed control calls with 400 and a reason', async () => {
    await expect(client.inject({ kind: 'http-error', status: 404 } as never)).rejects.toThrow(/status|count/);
    await expect(client.addFile({ eventType: 'Login', logDate: 'yesterday', interval: 'Hourly' })).rejects.toThrow(
      'not an ISO-8601 instant',
    );
    await expect(client.setOrg({ apiLimit: -1 })).rejects.toThrow();
    const r = await rawRequest(`${sim.url}/__sim/nothing`);
    expect(r.status).toBe(404);
  });
});
