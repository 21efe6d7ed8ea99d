import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { SimulatorControlClient } from '../src/control-client';
import { parse } from 'csv-parse/sync';
import { startSimulator } from '../src';
import type { SimFileSummary, Simulator } from '../src';
import { bodyText, rawRequest, readAll } from './helpers';

describe('LogFile blobs over plain HTTP', () => {
  let sim: Simulator;
  let token: string;
  let file: SimFileSummary;
  const blobUrl = (id: string, version = '62.0') =>
    `${sim.instanceUrl}/services/data/v${version}/sobjects/EventLogFile/${id}/LogFile`;
  const download = (id: string, headers: Record<string, string> = {}) =>
    rawRequest(blobUrl(id), { headers: { Authorization: `Bearer ${token}`, ...headers } });

  beforeAll(async () => {
    sim = await startSimulator({ now: '2026-11-27T13:00:00Z' });
    const r = await rawRequest(`${sim.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: sim.credentials.clientId,
        client_secret: sim.credentials.clientSecret,
      }).toString(),
    });
    token = (JSON.parse(bodyText(r)) as { access_token: string }).access_token;
    const daily = sim.control.listFiles().find((f) => f.interval === 'Daily' && f.eventType === 'Login');
    if (!daily) throw new Error('no daily Login file');
    file = daily;
  });
  afterAll(() => sim.close());
  afterEach(() => sim.control.clearFaults());

  it('serves application/octetstream chunked without Content-Length, compressed only when asked; all decode to the bytes of fileCsv', async () => {
    const expected = await readAll(sim.control.fileCsv(file.id));
    expect(expected.length).toBe(file.logFileLength);

    const plain = await download(file.id);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/octetstream');
    expect(plain.headers['transfer-encoding']).toBe('chunked');
    expect(plain.headers['content-length']).toBeUndefined();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['sforce-limit-info']).toMatch(/^api-usage=\d+\/100000$/);
    expect(plain.raw.equals(expected)).toBe(true);

    const gz = await download(file.id, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-type']).toBe('application/octetstream');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['transfer-encoding']).toBe('chunked');
    expect(gz.headers['content-length']).toBeUndefined();
    expect(gz.raw.length).toBeLessThan(expected.length);
    expect(gunzipSync(gz.raw).equals(expected)).toBe(true);

    const br = await download(file.id, { 'Accept-Encoding': 'br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.raw).equals(expected)).toBe(true);
    const deflate = await download(file.id, { 'Accept-Encoding': 'deflate' });
    expect(deflate.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(deflate.raw).equals(expected)).toBe(true);
  });

  it('serves CSV whose header matches LogFileFieldNames and whose rows parse', async () => {
    const res = await rawRequest(
      `${sim.instanceUrl}/services/data/v62.0/query?q=${encodeURIComponent(`SELECT LogFileFieldNames, LogFileFieldTypes FROM EventLogFile WHERE Id = '${file.id}'`)}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const rec = (JSON.parse(bodyText(res)) as { records: { LogFileFieldNames: string; LogFileFieldTypes: string }[] })
      .records[0];
    const rows = parse(bodyText(await download(file.id)), { relax_quotes: false }) as string[][];
    expect(rows[0]?.join(',')).toBe(rec?.LogFileFieldNames);
    expect(rec?.LogFileFieldTypes.split(',')).toHaveLength(34);
    expect(rows.length - 1).toBe(file.rows);
    for (const row of rows) expect(row).toHaveLength(34);
  });

  it('counts one API call per download and the bytes it served', async () => {
    const before = sim.control.stats();
    await download(file.id);
    const after = sim.control.stats();
    expect(after.apiUsed).toBe(before.apiUsed + 1);
    expect(after.blobBytesServed - before.blobBytesServed).toBe(file.logFileLength);
  });

  it('answers 404 NOT_FOUND for unknown, not yet published and deleted files, and 401 without a session', async () => {
    const notFound = '[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]';
    const unknown = await download('0AT5j0000AAAAAAAAA');
    expect(unknown.status).toBe(404);
    expect(bodyText(unknown)).toBe(notFound);
    const future = sim.control
      .listFiles({ includeFuture: true })
      .find((f) => Date.parse(f.createdDate) > Date.parse(sim.control.now()));
    if (!future) throw new Error('no unpublished file');
    expect((await download(future.id)).status).toBe(404);
    const victim = sim.control.listFiles()[3];
    if (!victim) throw new Error('no file');
    sim.control.deleteFile(victim.id);
    expect((await download(victim.id)).status).toBe(404);
    expect(sim.control.listFiles().map((f) => f.id)).not.toContain(victim.id);
    const anonymous = await rawRequest(blobUrl(file.id));
    expect(anonymous.status).toBe(401);
  });

  it('reset-blob: the client gets a truncated identity body and a connection reset', async () => {
    sim.control.inject({ kind: 'reset-blob', afterBytes: 1000, fileId: file.id });
    const r = await download(file.id);
    expect(r.status).toBe(200);
    expect(r.raw.length).toBe(1000);
    expect(r.error?.code).toBe('ECONNRESET');
    // Used up: the next download is complete.
    const again = await download(file.id);
    expect(again.error).toBeUndefined();
    expect(again.raw.length).toBe(file.logFileLength);
  });

  it('reset-blob under gzip cuts the compressed stream', async () => {
    sim.control.inject({ kind: 'reset-blob', afterBytes: 300, count: 1 });
    const r = await download(file.id, { 'Accept-Encoding': 'gzip' });
    expect(r.error?.code).toBe('ECONNRESET');
    expect(r.raw.length).toBeLessThanOrEqual(300);
    expect(() => gunzipSync(r.raw)).toThrow();
  });

  it('slow-blob throttles the download', async () => {
    const expected = await readAll(sim.control.fileCsv(file.id));
    const bytesPerSecond = Math.ceil(expected.length / 0.8);
    sim.control.inject({ kind: 'slow-blob', bytesPerSecond, fileId: file.id });
    const slow = await download(file.id);
    expect(slow.raw.equals(expected)).toBe(true);
    // A lower bound only: the throttle guarantees it, while an upper bound would measure the machine's load.
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(700);
  });

  it('delete-on-download: the blob answers 404 and the file leaves listings', async () => {
    const victim = sim.control.listFiles()[10];
    if (!victim) throw new Error('no file');
    sim.control.inject({ kind: 'delete-on-download', fileId: victim.id });
    expect(sim.control.listFiles().map((f) => f.id)).toContain(victim.id);
    const r = await download(victim.id);
    expect(r.status).toBe(404);
    expect(sim.control.listFiles().map((f) => f.id)).not.toContain(victim.id);
  });

  it('serves a file added with exact CSV content byte for byte', async () => {
    const csv =
      '"EVENT_TYPE","TIMESTAMP","USER_NAME"\n"Login","20261127010203.4","zoë.müller@acme.example"\n"Login","20261127010204","a ""quoted""\nname"\n';
    const added = sim.control.addFile({ eventType: 'Login', logDate: '2026-11-27T01:00:00Z', interval: 'Hourly', csv });
    expect(added).toMatchObject({ rows: 2, logFileLength: Buffer.byteLength(csv), sequence: 2 });
    const r = await download(added.id, { 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(r.raw).toString('utf8')).toBe(csv);
  });
  describe('a stored file (storeFile)', () => {
    const storeDirs = () => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('elf-sim-blobs-'));
    const addHourly = (on: Simulator, eventType: string, hour: number, rows: number) =>
      on.control.addFile({ eventType, logDate: `2026-11-27T0${hour}:00:00Z`, interval: 'Hourly', rows });

    it('serves the same bytes as when generated, gzip and identity, and the faults still cut the wire bytes', async () => {
      const added = addHourly(sim, 'URI', 2, 3000);
      const expected = await readAll(sim.control.fileCsv(added.id));
      const generatedGz = await download(added.id, { 'Accept-Encoding': 'gzip' });
      await new SimulatorControlClient(sim.url).storeFile(added.id);

      const gz = await download(added.id, { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.raw).equals(expected)).toBe(true);
      expect(gz.raw.equals(generatedGz.raw)).toBe(true);
      const plain = await download(added.id);
      expect(plain.headers['content-length']).toBeUndefined();
      expect(plain.raw.equals(expected)).toBe(true);
      const br = await download(added.id, { 'Accept-Encoding': 'br' });
      expect(brotliDecompressSync(br.raw).equals(expected)).toBe(true);

      sim.control.inject({ kind: 'reset-blob', afterBytes: 1000, fileId: added.id });
      const cut = await download(added.id);
      expect(cut.error?.code).toBe('ECONNRESET');
      expect(cut.raw.length).toBe(1000);
    });

    it('answers 404 for an unknown file, and deleting the file removes its stored blob', async () => {
      await expect(new SimulatorControlClient(sim.url).storeFile('0AT5j0000AAAAAAAAA')).rejects.toThrow(/no such file/);
      const added = addHourly(sim, 'Login', 3, 10);
      await sim.control.storeFile(added.id);
      const dir = storeDirs()
        .map((d) => path.join(os.tmpdir(), d))
        .find((d) => fs.readdirSync(d).some((f) => f.startsWith(added.id)));
      expect(dir).toBeDefined();
      sim.control.deleteFile(added.id);
      expect(fs.readdirSync(dir as string).filter((f) => f.startsWith(added.id))).toEqual([]);
      expect((await download(added.id)).status).toBe(404);
    });

    it('leaves nothing behind when the simulator closes', async () => {
      const own = await startSimulator({ now: '2026-11-27T13:00:00Z', days: 1 });
      const before = new Set(storeDirs());
      const f = addHourly(own, 'Login', 4, 10);
      await own.control.storeFile(f.id);
      const created = storeDirs().filter((d) => !before.has(d));
      expect(created).toHaveLength(1);
      await own.close();
      expect(fs.existsSync(path.join(os.tmpdir(), created[0] as string))).toBe(false);
    });
  });
});
