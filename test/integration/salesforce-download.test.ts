/**
 * LogFile downloads against the simulator: gzip and identity bodies equal the simulator's CSV, backpressure,
 * resets mid-body, aborts, 404 for deleted files, session refresh and 5xx retries.
 */
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { SalesforceClient } from '../../src/salesforce/client';
import { SalesforceError } from '../../src/salesforce/errors';
import { openLogFileStream } from '../../src/salesforce/log-file-download';
import type { SalesforceLogger } from '../../src/salesforce/session';
import { SessionPool } from '../../src/salesforce/session-pool';
import { startSimulator } from '@elfstream/salesforce-simulator';
import { sourceConfig } from '../helpers/source-config';
import type { SimFileSummary, Simulator } from '@elfstream/salesforce-simulator';

let sim: Simulator;
let pool: SessionPool;
let c: SalesforceClient;
const logins: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, days: 1, now: '2026-11-27T13:00:00Z' });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(async () => {
  logins.length = 0;
  pool = new SessionPool({ retryDelayMs: 20 });
  c = makeClient();
  await c.login();
});
afterEach(() => {
  sim.control.clearFaults();
  pool.clear();
});

function makeClient(): SalesforceClient {
  const cr = sim.credentials;
  const source = sourceConfig({
    id: 'download',
    label: 'Download',
    salesforce: {
      loginUrl: sim.url,
      apiVersion: '62.0',
      auth: { type: 'jwt', username: cr.username, clientId: cr.clientId, privateKey: cr.jwtPrivateKeyPem },
    },
    interval: 'Hourly',
  });
  const logger: SalesforceLogger = {
    debug: () => undefined,
    info: (m) => {
      if (m.startsWith('Logged in')) logins.push(m);
    },
    warn: () => undefined,
    error: () => undefined,
  };
  return SalesforceClient.forSource(source, { pool, logger, userAgent: 'elfstream-test/1.0' });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function readError(stream: NodeJS.ReadableStream): Promise<{ bytes: number; error: unknown }> {
  let bytes = 0;
  try {
    for await (const chunk of stream) bytes += (chunk as Buffer).length;
  } catch (error) {
    return { bytes, error };
  }
  throw new Error(`the stream ended normally after ${bytes} bytes`);
}

function someFile(): SimFileSummary {
  const file = sim.control.listFiles().find((f) => f.eventType === 'Login' && f.rows > 10);
  if (!file) throw new Error('no Login file');
  return file;
}

describe('openLogFile', () => {
  it('gzip and identity bodies are the bytes the simulator serves', async () => {
    const file = someFile();
    const expected = await readAll(sim.control.fileCsv(file.id));
    expect(expected.length).toBe(file.logFileLength);

    const gz = await c.openLogFile(file);
    expect(gz.compressed).toBe(true);
    expect((await readAll(gz.stream)).equals(expected)).toBe(true);

    const plain = await c.openLogFile(file, { acceptGzip: false });
    expect(plain.compressed).toBe(false);
    // Salesforce serves blobs chunked, without Content-Length (sObject Blob Get).
    expect(plain.contentLength).toBeUndefined();
    expect((await readAll(plain.stream)).equals(expected)).toBe(true);
  });

  it('streams a large file with backpressure instead of buffering it', async () => {
    const header = '"EVENT_TYPE","TIMESTAMP","REQUEST_ID","URI"\n';
    const row = '"URI","20261127130000.123","4u6LyuMrDvb_G-l1cJIQk-","/lightning/r/Account/001000000000001AAA/view"\n';
    const csv = header + row.repeat(320_000);
    const big = sim.control.addFile({ eventType: 'URI', logDate: sim.control.now(), interval: 'Hourly', csv });
    expect(big.logFileLength).toBe(Buffer.byteLength(csv));
    expect(big.logFileLength).toBeGreaterThan(30_000_000);
    const before = sim.control.stats().blobBytesServed;
    const { stream } = await c.openLogFile(big, { acceptGzip: false });
    stream.pause();
    await new Promise((r) => setTimeout(r, 400));
    const servedWhilePaused = sim.control.stats().blobBytesServed - before;
    // Socket and stream buffers hold a few MB at most; the rest waits on the server.
    expect(servedWhilePaused).toBeLessThan(8_000_000);
    stream.resume();
    let total = 0;
    for await (const chunk of stream) total += (chunk as Buffer).length;
    expect(total).toBe(big.logFileLength);
  });

  it('a reset mid-body fails the stream with a transient SalesforceError', async () => {
    const file = someFile();
    sim.control.inject({ kind: 'reset-blob', afterBytes: 300, fileId: file.id });
    const { stream } = await c.openLogFile(file, { acceptGzip: false });
    const { error } = await readError(stream);
    expect(error).toBeInstanceOf(SalesforceError);
    expect(error).toMatchObject({ kind: 'transient' });
  });

  it('a reset inside a gzip body fails the stream too', async () => {
    const file = someFile();
    sim.control.inject({ kind: 'reset-blob', afterBytes: 100, fileId: file.id });
    const { stream, compressed } = await c.openLogFile(file);
    expect(compressed).toBe(true);
    const { error } = await readError(stream);
    expect(error).toMatchObject({ kind: 'transient' });
  });

  it('aborting mid-body destroys the request and fails the stream with an AbortError', async () => {
    const file = someFile();
    sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 2_000, fileId: file.id });
    const controller = new AbortController();
    const { stream } = await c.openLogFile(file, { signal: controller.signal, acceptGzip: false });
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const { error, bytes } = await readError(stream);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(bytes).toBeLessThan(file.logFileLength);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('an already aborted signal rejects without a request', async () => {
    const controller = new AbortController();
    controller.abort();
    const before = sim.control.stats().requests;
    await expect(c.openLogFile(someFile(), { signal: controller.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(sim.control.stats().requests).toBe(before);
  });

  it('a consumer that stops early releases the download', async () => {
    const file = someFile();
    const { stream } = await c.openLogFile(file, { acceptGzip: false });
    const readable = stream as NodeJS.ReadableStream & { destroy(): void };
    await once(readable, 'readable');
    readable.destroy();
    // The session keeps working afterwards.
    expect((await readAll((await c.openLogFile(file)).stream)).length).toBe(file.logFileLength);
  });

  it('a deleted file is not-found', async () => {
    const file = sim.control.listFiles().find((f) => f.eventType === 'Logout') as SimFileSummary;
    sim.control.deleteFile(file.id);
    await expect(c.openLogFile(file)).rejects.toMatchObject({ kind: 'not-found', status: 404 });
  });

  it('a file deleted as it is requested is not-found', async () => {
    const file = sim.control.listFiles().find((f) => f.eventType === 'URI') as SimFileSummary;
    sim.control.inject({ kind: 'delete-on-download', fileId: file.id });
    const err = await c.openLogFile(file).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'not-found', errorCode: 'NOT_FOUND' });
    expect((err as Error).message).toContain(file.id);
  });

  it('an expired session is refreshed once and the download succeeds', async () => {
    const file = someFile();
    sim.control.inject({ kind: 'expire-sessions', afterRequests: 0 });
    const { stream } = await c.openLogFile(file);
    expect((await readAll(stream)).length).toBe(file.logFileLength);
    expect(logins).toHaveLength(2);
  });

  it('a short 5xx burst is retried; a long one is transient with its status', async () => {
    const file = someFile();
    sim.control.inject({ kind: 'http-error', status: 503, count: 2, pathContains: '/LogFile' });
    expect((await readAll((await c.openLogFile(file)).stream)).length).toBe(file.logFileLength);
    sim.control.inject({ kind: 'http-error', status: 500, count: 10, pathContains: '/LogFile' });
    await expect(c.openLogFile(file)).rejects.toMatchObject({ kind: 'transient', status: 500 });
  });

  it('tracks API usage from download responses', async () => {
    const before = c.apiUsage()?.used ?? 0;
    await readAll((await c.openLogFile(someFile())).stream);
    expect(c.apiUsage()?.used).toBe(before + 1);
  });

  it('refuses something that is not a record id', async () => {
    await expect(c.openLogFile({ id: '../../limits' })).rejects.toMatchObject({ kind: 'invalid-request' });
  });
});

describe('idle timeout (local server: the simulator cannot stall a body)', () => {
  let server: http.Server;
  let mode: 'stall' | 'big' = 'stall';
  const BIG = 6_000_000;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (req.url?.startsWith('/services/oauth2/token')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: '00D000000000001!AQlocal',
            instance_url: base,
            id: `${base}/id/00D000000000001EAA/005000000000001AAA`,
          }),
        );
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/csv' });
      if (mode === 'stall') {
        res.write('"A","B"\n');
        return; // never ends
      }
      res.end(Buffer.alloc(BIG, 'x'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  function session() {
    const port = (server.address() as AddressInfo).port;
    return new SessionPool().get({
      loginUrl: `http://127.0.0.1:${port}`,
      apiVersion: '62.0',
      auth: { type: 'client-credentials', clientId: 'x', clientSecret: 'y' },
    });
  }

  it('a body that stops arriving fails the stream as transient', async () => {
    mode = 'stall';
    const { stream } = await openLogFileStream(session(), '0AT000000000001AAA', { idleTimeoutMs: 200 });
    const { error, bytes } = await readError(stream);
    expect(bytes).toBe(8);
    expect(error).toMatchObject({ kind: 'transient', errorCode: 'ETIMEDOUT' });
  });

  it('a consumer that pauses longer than the idle timeout does not trip it', async () => {
    mode = 'big';
    const { stream } = await openLogFileStream(session(), '0AT000000000001AAA', { idleTimeoutMs: 150 });
    stream.pause();
    await new Promise((r) => setTimeout(r, 600));
    expect((await readAll(stream)).length).toBe(BIG);
  });
});

describe('openLogFile through an HTTP proxy', () => {
  let proxy: http.Server;
  let proxyUrl: string;
  const tunnels: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    // A CONNECT proxy, as corporate proxies and jsforce's https-proxy-agent speak it.
    proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  });
  afterEach(() => {
    for (const k of ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    tunnels.length = 0;
  });

  it('downloads through the proxy jsforce uses (HTTPS_PROXY), byte for byte', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    const file = someFile();
    const expected = await readAll(sim.control.fileCsv(file.id));
    const { stream } = await c.openLogFile(file);
    expect((await readAll(stream)).equals(expected)).toBe(true);
    const instance = new URL(sim.instanceUrl);
    expect(tunnels).toEqual([`${instance.hostname}:${instance.port}`]);
  });

  it('names the proxy variables when the proxy cannot be reached, and never the proxy URL', async () => {
    process.env.https_proxy = 'http://user:s3cret-proxy-pass@127.0.0.1:9';
    const failure = await c.openLogFile(someFile()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(SalesforceError);
    expect((failure as Error).message).toMatch(
      /through the HTTP proxy set in the environment \(https_proxy, .*HTTPS_PROXY/,
    );
    expect((failure as Error).message).not.toContain('s3cret-proxy-pass');
    expect(tunnels).toEqual([]);
  });
});
