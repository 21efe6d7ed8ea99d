/**
 * The http sink's request authentication (the modes of Panther's HTTP source) and the panther preset's request size
 * limit, checked by a real HTTP server on loopback that verifies what Panther verifies.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import { HttpSink, PANTHER_PRESET, type HttpAuth } from '../../src/sinks';
import type { LogFileRef } from '../../src/sinks';

const FILE: LogFileRef = {
  sourceId: 'acme',
  orgId: '00D000000000001',
  fileId: '0AT000000000003',
  eventType: 'Login',
  logDate: '2026-11-02T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 1,
};

interface Received {
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  requestBytes: number;
}

async function withServer(fn: (url: string, got: Received[]) => Promise<void>): Promise<void> {
  const got: Received[] = [];
  const server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      const head = req.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0);
      got.push({ headers: req.headers, body, requestBytes: head + body.length });
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}/http/abc`, got);
  } finally {
    await new Promise((r) => server.close(r));
  }
}

async function send(sink: HttpSink, lines: string[]): Promise<void> {
  const w = await sink.openChunk(FILE, 0);
  for (const l of lines) await w.write(l);
  await w.commit();
}

const LINES = Array.from({ length: 50 }, (_, i) => `{"p_row_id":"h${i}","EVENT_TYPE":"Login","n":${i}}`);

describe('http sink authentication (Panther HTTP source modes)', () => {
  const cases: [string, HttpAuth, (r: Received) => boolean][] = [
    [
      'shared secret in the configured header',
      { type: 'shared-secret', header: 'x-panther-token', secret: 's3cr3t-value' },
      (r) => r.headers['x-panther-token'] === 's3cr3t-value',
    ],
    [
      'HMAC-SHA256 of the body, hex, in the configured header',
      { type: 'hmac', header: 'x-panther-signature', secret: 'hmac-key-123', algorithm: 'sha256' },
      (r) =>
        r.headers['x-panther-signature'] === crypto.createHmac('sha256', 'hmac-key-123').update(r.body).digest('hex'),
    ],
    ['bearer token', { type: 'bearer', secret: 'tok-abcdef' }, (r) => r.headers.authorization === 'Bearer tok-abcdef'],
    [
      'basic auth',
      { type: 'basic', username: 'elf', secret: 'pw-123456' },
      (r) => r.headers.authorization === `Basic ${Buffer.from('elf:pw-123456').toString('base64')}`,
    ],
  ];
  it.each(cases)('%s', async (_name, auth, verify) => {
    await withServer(async (url, got) => {
      const sink = new HttpSink({ url, format: 'ndjson', gzip: true, batchSize: 20, auth });
      await send(sink, LINES);
      expect(got.length).toBe(3);
      expect(got.every(verify)).toBe(true);
      const lines = got.flatMap((r) => zlib.gunzipSync(r.body).toString('utf8').split('\n').filter(Boolean));
      expect(lines.sort()).toEqual([...LINES].sort());
    });
  });

  it('keeps each request of the panther preset under 1 MB, headers included', async () => {
    await withServer(async (url, got) => {
      const big = Array.from({ length: 3000 }, (_, i) => `{"p_row_id":"b${i}","pad":"${'x'.repeat(900)}"}`);
      const sink = new HttpSink({
        url,
        format: 'ndjson',
        gzip: false,
        batchSize: 100_000,
        maxBatchBytes: PANTHER_PRESET.maxBatchBytes,
        maxRequestBytes: PANTHER_PRESET.maxRequestBytes,
        auth: { type: 'hmac', header: 'x-panther-signature', secret: 'k-123456', algorithm: 'sha256' },
      });
      await send(sink, big);
      expect(got.length).toBeGreaterThan(2);
      expect(Math.max(...got.map((r) => r.requestBytes))).toBeLessThan(1_000_000);
      expect(got.flatMap((r) => r.body.toString('utf8').split('\n').filter(Boolean)).sort()).toEqual([...big].sort());
    });
  });

  it('refuses a request over the limit instead of sending it', async () => {
    await withServer(async (url, got) => {
      const sink = new HttpSink({ url, format: 'ndjson', gzip: false, batchSize: 1, maxRequestBytes: 1000 });
      await expect(send(sink, [`{"p_row_id":"x","pad":"${'y'.repeat(2000)}"}`])).rejects.toThrow(
        /would be \d+ bytes, over the limit of 1000 \(body and headers\)/,
      );
      expect(got.length).toBe(0);
    });
  });
});
