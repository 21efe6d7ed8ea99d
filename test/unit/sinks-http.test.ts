import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { HttpSink, HttpSinkError, retryAfterMs, type HttpSinkOptions } from '../../src/sinks/http';
import type { LogFileRef } from '../../src/sinks/types';

const file: LogFileRef = {
  sourceId: 'acme-prod',
  orgId: '00D5j00000DgAYG',
  fileId: '0AT5j00002LqQTxGAN',
  eventType: 'Login',
  logDate: '2026-11-27T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 1,
};
const SECRET = 'Splunk 7f3c2a9e-secret-token-0042';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real local collector; `respond` decides each response (default 200). */
class Collector {
  readonly requests: Received[] = [];
  respond: (req: Received, n: number) => { status: number; body?: string; headers?: Record<string, string> } = () => ({
    status: 200,
    body: '{"text":"Success","code":0}',
  });
  private server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      const raw = Buffer.concat(parts);
      const body = (req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw).toString('utf8');
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      this.requests.push(r);
      const out = this.respond(r, this.requests.length);
      res.writeHead(out.status, out.headers);
      res.end(out.body ?? '');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/services/collector/event`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

let collector: Collector;
let url: string;
beforeEach(async () => {
  collector = new Collector();
  url = await collector.start();
});
afterEach(() => collector.stop());

function sink(options: Partial<HttpSinkOptions> = {}): HttpSink {
  return new HttpSink({
    url,
    format: 'ndjson',
    authorization: SECRET,
    gzip: false,
    batchSize: 2,
    initialBackoffMs: 5,
    maxBackoffMs: 20,
    ...options,
  });
}

const event = (i: number): string =>
  JSON.stringify({
    I: i,
    p_log_type: 'Salesforce.Login',
    p_event_time: `2026-11-27T13:00:0${i}.250Z`,
    p_row_id: `id${i}`,
  });

async function send(s: HttpSink, n: number, chunk = 0) {
  const w = await s.openChunk(file, chunk);
  for (let i = 0; i < n; i++) await w.write(event(i));
  return w.commit();
}

describe('HttpSink', () => {
  it('batches NDJSON by batch size, with auth, custom headers and per-batch idempotency keys', async () => {
    const receipt = await send(sink({ headers: { 'X-Team': 'secops' } }), 5, 4);
    expect(collector.requests.map((r) => r.body)).toEqual([
      `${event(0)}\n${event(1)}\n`,
      `${event(2)}\n${event(3)}\n`,
      `${event(4)}\n`,
    ]);
    for (const [i, r] of collector.requests.entries()) {
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toBe('application/x-ndjson');
      expect(r.headers.authorization).toBe(SECRET);
      expect(r.headers['x-team']).toBe('secops');
      expect(r.headers['idempotency-key']).toBe(`elfstream-00D5j00000DgAYG-0AT5j00002LqQTxGAN-4-${i}`);
    }
    expect(receipt).toEqual({ chunk: 4, rows: 5, bytes: collector.requests.reduce((n, r) => n + r.body.length, 0) });
  });

  it('cuts batches by bytes too', async () => {
    await send(sink({ batchSize: 100, maxBatchBytes: 150 }), 4);
    expect(collector.requests.map((r) => r.body.split('\n').length - 1)).toEqual([2, 2]);
  });

  it('gzips bodies', async () => {
    await send(sink({ gzip: true, batchSize: 10 }), 3);
    expect(collector.requests).toHaveLength(1);
    expect(collector.requests[0]?.headers['content-encoding']).toBe('gzip');
    expect(collector.requests[0]?.body).toBe(`${event(0)}\n${event(1)}\n${event(2)}\n`);
  });

  it('sends the Splunk HEC shape', async () => {
    await send(sink({ format: 'splunk-hec', host: 'worker-1', batchSize: 10 }), 2);
    const req = collector.requests[0] as Received;
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body.trimEnd().split('\n')).toEqual([
      `{"time":1795784400.25,"host":"worker-1","source":"salesforce:acme-prod","sourcetype":"Salesforce.Login","event":${event(0)}}`,
      `{"time":1795784401.25,"host":"worker-1","source":"salesforce:acme-prod","sourcetype":"Salesforce.Login","event":${event(1)}}`,
    ]);
    for (const line of req.body.trimEnd().split('\n')) expect(JSON.parse(line)).toHaveProperty('event.I');
  });

  it('retries 503 and 429 (honouring Retry-After), then succeeds; the key stays the same', async () => {
    collector.respond = (_r, n) =>
      n === 1
        ? { status: 503, body: 'busy' }
        : n === 2
          ? { status: 429, headers: { 'Retry-After': '0' } }
          : { status: 200 };
    const receipt = await send(sink({ batchSize: 10 }), 3);
    expect(receipt.rows).toBe(3);
    expect(collector.requests).toHaveLength(3);
    expect(new Set(collector.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(new Set(collector.requests.map((r) => r.body)).size).toBe(1);
  });

  it('fails permanently on 400 with the status and body in the message, never the Authorization value', async () => {
    collector.respond = (r) => ({
      status: 400,
      // A server that echoes the request's credentials in its error body.
      body: `{"text":"Invalid data format","code":6,"echo":"${r.headers.authorization}"}`,
    });
    const err = await send(sink({ batchSize: 10 }), 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpSinkError);
    const e = err as HttpSinkError;
    expect(e.retryable).toBe(false);
    expect(e.status).toBe(400);
    expect(e.message).toContain('failed with 400 Bad Request: {"text":"Invalid data format","code":6');
    expect(e.message).not.toContain('7f3c2a9e-secret-token-0042');
    expect(e.message).toContain('[REDACTED]');
    expect(collector.requests).toHaveLength(1); // not retried
  });

  it('gives up after maxAttempts with a retryable error', async () => {
    collector.respond = () => ({ status: 502, body: 'bad gateway' });
    const err = (await send(sink({ batchSize: 10, maxAttempts: 3 }), 1).catch((e: unknown) => e)) as HttpSinkError;
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/failed after 3 attempts, last: 502 Bad Gateway: bad gateway/);
    expect(collector.requests).toHaveLength(3);
  });

  it('retries network errors', async () => {
    // A port nothing listens on: bind one, then close it.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const dead = sink({ url: `http://127.0.0.1:${port}/x`, batchSize: 10, maxAttempts: 2 });
    const err = (await send(dead, 1).catch((e: unknown) => e)) as HttpSinkError;
    expect(err.retryable).toBe(true);
    expect(err.message).toMatch(/failed after 2 attempts, last: ECONNREFUSED/);
    expect(err.message).not.toContain('secret');
  });

  it('aborts in-flight batches', async () => {
    collector.respond = () => ({ status: 503 });
    const w = await sink({ batchSize: 1, initialBackoffMs: 10_000, maxBackoffMs: 10_000 }).openChunk(file, 0);
    await w.write(event(0));
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await w.abort();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('parses Retry-After as seconds or an HTTP date, capped', () => {
    expect(retryAfterMs('3', 60_000)).toBe(3000);
    expect(retryAfterMs('9999', 60_000)).toBe(60_000);
    expect(retryAfterMs(new Date(Date.now() - 5000).toUTCString(), 60_000)).toBe(0);
    expect(retryAfterMs(null, 60_000)).toBeUndefined();
    expect(retryAfterMs('soon', 60_000)).toBeUndefined();
  });
});
