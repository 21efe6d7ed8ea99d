/**
 * The s3 sink against a real S3-compatible server (versitygw on loopback): the documented key layout, a retried
 * chunk that does not rewrite its object (one "object created" notification per object), a stored object that
 * differs named in the error, and the manifest under the bookkeeping prefix.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { S3Sink, S3SinkError, type S3Manifest } from '../../src/sinks/s3';
import type { LogFileRef } from '../../src/sinks';
import { startS3Server, type S3TestServer } from '../helpers/sink-servers';
import { checkOutput } from '../../src/cli/verify-checks';

const FILE: LogFileRef = {
  sourceId: 'acme',
  orgId: '00D000000000001',
  fileId: '0AT000000000001',
  eventType: 'Login',
  logDate: '2026-11-02T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 1,
};
const rows = (chunk: number, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `{"p_row_id":"r${chunk}-${i}","p_log_type":"Salesforce.Login","n":${i}}`);

describe('s3 sink', () => {
  let s3: S3TestServer;
  beforeAll(async () => (s3 = await startS3Server('sink-s3')), 120_000);
  afterAll(async () => s3?.stop());

  const sinkFor = (prefix: string) =>
    new S3Sink({
      bucket: s3.bucket,
      prefix,
      region: 'us-east-1',
      endpoint: s3.endpoint,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
  const stored = (key: string): string[] =>
    zlib
      .gunzipSync(fs.readFileSync(path.join(s3.dir, s3.bucket, key)))
      .toString('utf8')
      .split('\n')
      .filter(Boolean);

  async function writeChunk(sink: S3Sink, chunk: number, lines: string[]) {
    const w = await sink.openChunk(FILE, chunk);
    for (const l of lines) await w.write(l);
    return w.commit();
  }

  it('writes one gzip NDJSON object per chunk; a retried chunk keeps its object and its single notification', async () => {
    const sink = sinkFor('retry/');
    const first = await writeChunk(sink, 0, rows(0, 500));
    expect(first.location).toBe('retry/Login/dt=2026-11-02/hour=13/acme-0AT000000000001-00000.json.gz');
    const mtime = fs.statSync(path.join(s3.dir, s3.bucket, first.location as string)).mtimeMs;
    // The activity retries the chunk (its progress was not recorded): same rows, a new sink as after a restart.
    const again = await writeChunk(sinkFor('retry/'), 0, rows(0, 500));
    expect(again).toEqual(first);
    await writeChunk(sink, 1, rows(1, 200));
    await sink.completeFile(FILE, { rows: 700, chunks: [], malformedRows: 0, unknownColumns: [], chunkCount: 2 });
    await s3.settle();

    expect(stored(first.location as string)).toEqual(rows(0, 500));
    expect(fs.statSync(path.join(s3.dir, s3.bucket, first.location as string)).mtimeMs).toBe(mtime);
    const created = [...s3.created()].filter(([k]) => k.startsWith('retry/')).sort();
    expect(created).toEqual([
      ['retry/Login/dt=2026-11-02/hour=13/acme-0AT000000000001-00000.json.gz', 1],
      ['retry/Login/dt=2026-11-02/hour=13/acme-0AT000000000001-00001.json.gz', 1],
      ['retry/_elfstream/manifests/acme/0AT000000000001.json', 1],
    ]);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(s3.dir, s3.bucket, 'retry/_elfstream/manifests/acme/0AT000000000001.json'), 'utf8'),
    ) as S3Manifest;
    expect(manifest.rows).toBe(700);
    expect(manifest.chunks.map((c) => [c.chunk, c.rows, c.sha256])).toEqual([
      [0, 500, first.storedSha256],
      [1, 200, expect.stringMatching(/^[0-9a-f]{64}$/)],
    ]);
    await sink.close();
  });

  it('uploads what a block held, though its caller reuses it once written', async () => {
    const sink = sinkFor('blocks/');
    const w = await sink.openChunk(FILE, 0);
    const expected: string[] = [];
    for (let k = 0; k < 3; k++) {
      const lines = rows(k, 300);
      const block = Buffer.from(lines.join('\n') + '\n');
      await w.writeBlock?.(block, lines.length);
      block.fill(0x58); // the pipeline hands the buffer back to be filled with later lines
      expected.push(...lines);
    }
    const receipt = await w.commit();
    expect(stored(receipt.location as string)).toEqual(expected);
    await sink.close();
  });

  it('refuses to treat a different object at the same key as committed, naming both digests', async () => {
    const sink = sinkFor('clash/');
    const first = await writeChunk(sink, 0, rows(0, 10));
    const err = (await writeChunk(sink, 0, rows(9, 10)).catch((e: unknown) => e)) as S3SinkError;
    expect(err).toBeInstanceOf(S3SinkError);
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(
      `s3://${s3.bucket}/clash/Login/dt=2026-11-02/hour=13/acme-0AT000000000001-00000.json.gz`,
    );
    expect(err.message).toContain(`already exists with sha256 ${first.storedSha256}`);
    expect(stored(first.location as string)).toEqual(rows(0, 10));
    await sink.close();
  });

  it('names the bucket and the status when the bucket does not exist', async () => {
    const sink = new S3Sink({
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint: s3.endpoint,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      maxAttempts: 1,
    });
    const err = (await writeChunk(sink, 0, rows(0, 1)).catch((e: unknown) => e)) as S3SinkError;
    expect(err.message).toMatch(/PUT s3:\/\/no-such-bucket\/Login\/.* failed: 404 NoSuchBucket/);
    expect(err.retryable).toBe(false);
    expect(err.message).not.toContain(s3.secretAccessKey);
    await sink.close();
  });

  it('lets `elfstream verify` tell a reachable bucket from a missing one and from refused credentials, writing nothing', async () => {
    const output = (bucket: string, secretAccessKey = s3.secretAccessKey) =>
      ({
        type: 's3',
        bucket,
        prefix: 'verify/',
        region: 'us-east-1',
        endpoint: s3.endpoint,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
        gzip: true,
      }) as const;
    const before = fs.readdirSync(path.join(s3.dir, s3.bucket)).sort();

    const ok = await checkOutput(output(s3.bucket));
    expect(ok).toEqual({
      ok: true,
      line: `output: s3://${s3.bucket}/verify/ (at ${s3.endpoint}) answers and takes the credentials (permission to write is checked by the first chunk)`,
    });
    expect(await checkOutput(output('no-such-bucket'))).toEqual({
      ok: false,
      line: `output: bucket no-such-bucket does not exist (at ${s3.endpoint}): create it`,
    });
    const refused = await checkOutput(output(s3.bucket, 'not-the-secret'));
    expect(refused.ok).toBe(false);
    expect(refused.line).toMatch(
      /refused the credentials \((SignatureDoesNotMatch|InvalidAccessKeyId)\): check accessKeyId/,
    );
    expect(refused.line).not.toContain('not-the-secret');

    await s3.settle();
    expect(fs.readdirSync(path.join(s3.dir, s3.bucket)).sort()).toEqual(before);
    expect([...s3.created()].filter(([k]) => k.startsWith('verify/'))).toEqual([]);
  });
});
