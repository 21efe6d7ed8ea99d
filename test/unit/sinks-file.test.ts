import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { FileSink, type FileManifest } from '../../src/sinks/file';
import { chunkFileName, fileDirectory } from '../../src/sinks/file-layout';
import type { LogFileRef } from '../../src/sinks/types';

const hourly: LogFileRef = {
  sourceId: 'acme-prod',
  orgId: '00D5j00000DgAYG',
  fileId: '0AT5j00002LqQTxGAN',
  eventType: 'Login',
  logDate: '2026-11-27T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 2,
};
const daily: LogFileRef = { ...hourly, interval: 'Daily', sequence: 0, logDate: '2026-11-27T00:00:00.000Z' };

const lines = (n: number, tag = 'x'): string[] =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ i, tag, pad: 'é'.repeat(i % 7) }));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elf-file-sink-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function writeChunk(sink: FileSink, file: LogFileRef, chunk: number, rows: string[]) {
  const w = await sink.openChunk(file, chunk);
  for (const l of rows) await w.write(l);
  return w.commit();
}

const sha = (b: Buffer): string => crypto.createHash('sha256').update(b).digest('hex');
const listAll = (root: string): string[] =>
  fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
    .sort();

describe('file sink permissions', () => {
  const modeOf = (p: string): number => fs.statSync(p).mode & 0o777;

  it('writes chunks and manifests 0600 in folders 0700 by default, whatever the umask lets through', async () => {
    const sink = new FileSink({ dir: path.join(dir, 'out'), durable: false });
    await writeChunk(sink, hourly, 0, lines(3));
    await sink.completeFile(hourly, { rows: 3, malformedRows: 0, unknownColumns: [], chunks: [], chunkCount: 1 });
    const fileDir = sink.directoryOf(hourly);
    expect(modeOf(path.join(fileDir, chunkFileName(0, true)))).toBe(0o600);
    expect(modeOf(path.join(fileDir, 'manifest.json'))).toBe(0o600);
    for (let d = fileDir; d !== dir; d = path.dirname(d)) expect([d, modeOf(d).toString(8)]).toEqual([d, '700']);
  });

  it('uses the configured modes', async () => {
    const sink = new FileSink({ dir: path.join(dir, 'out'), durable: false, fileMode: 0o640, dirMode: 0o750 });
    await writeChunk(sink, hourly, 0, lines(1));
    expect(modeOf(path.join(sink.directoryOf(hourly), chunkFileName(0, true)))).toBe(0o640);
    expect(modeOf(sink.directoryOf(hourly))).toBe(0o750);
  });
});

describe('file sink layout', () => {
  it('derives one directory per file, named by type, day, interval, hour, sequence and id', () => {
    expect(fileDirectory('/out', hourly)).toBe(
      '/out/acme-prod/Login/2026-11-27/hourly-2026-11-27T13-seq2-0AT5j00002LqQTxGAN',
    );
    expect(fileDirectory('/out', daily)).toBe(
      '/out/acme-prod/Login/2026-11-27/daily-2026-11-27-seq0-0AT5j00002LqQTxGAN',
    );
    expect(chunkFileName(0, true)).toBe('part-00000.ndjson.gz');
    expect(chunkFileName(123, false)).toBe('part-00123.ndjson');
  });

  it('refuses ids that could escape the directory', () => {
    expect(() => fileDirectory('/out', { ...hourly, fileId: '../x' })).toThrow(/unsafe fileId/);
    expect(() => fileDirectory('/out', { ...hourly, sourceId: '..' })).toThrow(/unsafe sourceId/);
    expect(() => fileDirectory('/out', { ...hourly, eventType: 'a/b' })).toThrow(/unsafe eventType/);
  });
});

describe('FileSink', () => {
  it.each([
    ['gzip', true],
    ['plain', false],
  ])('stores what a block held when written, though its caller reuses it at once (%s)', async (_name, gzip) => {
    const sink = new FileSink({ dir, gzip, durable: false });
    const w = await sink.openChunk(hourly, 0);
    // Blocks from a few bytes to more than one staging buffer (1 MiB), each overwritten once written.
    const blocks = [3, 5000, 1_500_000, 70_000, 2_100_000].map((n, k) => lines(Math.ceil(n / 60), `b${k}`));
    const expected: string[] = [];
    for (const rows of blocks) {
      const block = Buffer.from(rows.join('\n') + '\n');
      await w.writeBlock?.(block, rows.length);
      block.fill(0x58); // the pipeline hands the buffer back to be filled with later lines
      expected.push(...rows);
    }
    const receipt = await w.commit();
    const bytes = fs.readFileSync(receipt.location as string);
    const text = (gzip ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
    expect(text).toBe(expected.join('\n') + '\n');
    expect(receipt).toMatchObject({ rows: expected.length, bytes: Buffer.byteLength(text) });
  });

  it('takes the sha256 of a plain chunk from a caller that hashed it, and requires it then', async () => {
    const plain = new FileSink({ dir, gzip: false });
    expect(plain.recordsChunkSha256).toBe(true);
    expect(new FileSink({ dir }).recordsChunkSha256).toBe(false);
    const text = lines(5).join('\n') + '\n';
    const digest = sha(Buffer.from(text));
    const w = await plain.openChunk(hourly, 0, { sha256ByCaller: true });
    await w.writeBlock?.(Buffer.from(text), 5);
    const receipt = await w.commit(digest);
    expect(receipt).toMatchObject({ rows: 5, sha256: digest, storedSha256: digest });
    expect(sha(fs.readFileSync(receipt.location as string))).toBe(digest);

    const missing = await plain.openChunk(hourly, 1, { sha256ByCaller: true });
    await missing.write('{}');
    await expect(missing.commit()).rejects.toThrow(/needs its sha256/);
    await missing.abort();
  });

  it('writes gzip NDJSON at the deterministic path, atomically, with a receipt', async () => {
    const sink = new FileSink({ dir });
    const w = await sink.openChunk(hourly, 0);
    for (const l of lines(10)) await w.write(l);
    const chunkDir = fileDirectory(dir, hourly);
    const final = path.join(chunkDir, 'part-00000.ndjson.gz');
    // Before the commit only a hidden temp file exists.
    expect(fs.existsSync(final)).toBe(false);
    expect(fs.readdirSync(chunkDir).every((n) => n.startsWith('.part-00000.ndjson.gz.tmp-'))).toBe(true);
    const receipt = await w.commit();
    expect(fs.readdirSync(chunkDir)).toEqual(['part-00000.ndjson.gz']);
    const stored = fs.readFileSync(final);
    const text = zlib.gunzipSync(stored).toString('utf8');
    expect(text).toBe(lines(10).join('\n') + '\n');
    expect(receipt).toEqual({
      chunk: 0,
      rows: 10,
      bytes: Buffer.byteLength(text),
      location: final,
      storedBytes: stored.length,
      storedSha256: sha(stored),
    });
    // gzip header: no timestamp (bytes 4-7), so the same rows always give the same bytes.
    expect([...stored.subarray(4, 8)]).toEqual([0, 0, 0, 0]);
  });

  it('rewrites a committed chunk with the same rows byte for byte (idempotent)', async () => {
    const sink = new FileSink({ dir });
    await writeChunk(sink, hourly, 3, lines(500));
    const file = path.join(fileDirectory(dir, hourly), 'part-00003.ndjson.gz');
    const first = fs.readFileSync(file);
    // A second attempt, written through the block path this time.
    const w = await sink.openChunk(hourly, 3);
    await w.write(lines(500)[0] as string);
    await w.writeBlock?.(Buffer.from(lines(500).slice(1).join('\n') + '\n'), 499);
    await w.commit();
    expect(fs.readFileSync(file).equals(first)).toBe(true);
  });

  it('removes the temp file on abort and leaves a committed chunk alone', async () => {
    const sink = new FileSink({ dir });
    await writeChunk(sink, hourly, 0, lines(3));
    const w = await sink.openChunk(hourly, 0);
    await w.write('{"partial":true}');
    await w.abort();
    const chunkDir = fileDirectory(dir, hourly);
    expect(fs.readdirSync(chunkDir)).toEqual(['part-00000.ndjson.gz']);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(chunkDir, 'part-00000.ndjson.gz'))).toString()).toBe(
      lines(3).join('\n') + '\n',
    );
  });

  it('writes plain .ndjson when gzip is off', async () => {
    const sink = new FileSink({ dir, gzip: false });
    const r = await writeChunk(sink, daily, 0, lines(4));
    const file = path.join(fileDirectory(dir, daily), 'part-00000.ndjson');
    const stored = fs.readFileSync(file);
    expect(stored.toString()).toBe(lines(4).join('\n') + '\n');
    expect(r.sha256).toBe(sha(stored));
    expect(r.storedSha256).toBe(sha(stored));
  });

  it('asks the caller to wait when the stream is full (backpressure)', async () => {
    const sink = new FileSink({ dir, gzipLevel: 9 });
    const w = await sink.openChunk(hourly, 0);
    let waits = 0;
    for (const l of lines(20_000, 'y'.repeat(200))) {
      const p = w.write(l);
      if (p !== undefined) {
        waits++;
        await p;
      }
    }
    await w.commit();
    expect(waits).toBeGreaterThan(0);
  });

  it('writes a deterministic manifest, recovering receipts of chunks committed by earlier attempts', async () => {
    const sink = new FileSink({ dir });
    const r0 = await writeChunk(sink, hourly, 0, lines(5, 'a'));
    const r1 = await writeChunk(sink, hourly, 1, lines(5, 'b'));
    const r2 = await writeChunk(sink, hourly, 2, lines(2, 'c'));
    // Leftovers: a crashed attempt's temp file, a chunk from an earlier run with smaller chunks.
    const chunkDir = fileDirectory(dir, hourly);
    fs.writeFileSync(path.join(chunkDir, '.part-00002.ndjson.gz.tmp-1-deadbeef'), 'junk');
    fs.writeFileSync(path.join(chunkDir, 'part-00007.ndjson.gz'), 'stale');
    // This run resumed after chunk 1: it only has the receipt of chunk 2.
    const summary = { rows: 12, chunks: [r2], chunkCount: 3, malformedRows: 1, unknownColumns: ['NEW_COLUMN_X'] };
    await sink.completeFile(hourly, { ...summary, completedAt: '2026-11-27T18:00:00.000Z' });
    const manifestText = fs.readFileSync(path.join(chunkDir, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(manifestText) as FileManifest;
    const entry = (r: typeof r0, file: string) => ({
      chunk: r.chunk,
      file,
      rows: r.rows,
      bytes: r.bytes,
      storedBytes: r.storedBytes,
      sha256: r.storedSha256,
    });
    expect(manifest).toEqual({
      version: 1,
      sourceId: 'acme-prod',
      orgId: '00D5j00000DgAYG',
      fileId: '0AT5j00002LqQTxGAN',
      eventType: 'Login',
      logDate: '2026-11-27T13:00:00.000Z',
      interval: 'Hourly',
      sequence: 2,
      rows: 12,
      malformedRows: 1,
      unknownColumns: ['NEW_COLUMN_X'],
      completedAt: '2026-11-27T18:00:00.000Z',
      chunks: [entry(r0, 'part-00000.ndjson.gz'), entry(r1, 'part-00001.ndjson.gz'), entry(r2, 'part-00002.ndjson.gz')],
    });
    expect(fs.readdirSync(chunkDir).sort()).toEqual([
      'manifest.json',
      'part-00000.ndjson.gz',
      'part-00001.ndjson.gz',
      'part-00002.ndjson.gz',
    ]);
    // Completing again (a retried activity) writes the same bytes.
    await sink.completeFile(hourly, { ...summary, chunks: [r0, r1, r2], completedAt: '2026-11-27T18:00:00.000Z' });
    expect(fs.readFileSync(path.join(chunkDir, 'manifest.json'), 'utf8')).toBe(manifestText);
    expect(listAll(dir)).toHaveLength(4);
  });

  it('refuses to complete a file whose chunks do not add up', async () => {
    const sink = new FileSink({ dir });
    const r0 = await writeChunk(sink, hourly, 0, lines(5));
    await expect(
      sink.completeFile(hourly, { rows: 6, chunks: [r0], malformedRows: 0, unknownColumns: [] }),
    ).rejects.toThrow(/hold 5 rows, expected 6/);
  });

  it('describes itself', () => {
    expect(new FileSink({ dir: '/data/out' }).describe()).toBe('file /data/out (NDJSON, gzip)');
  });
});
