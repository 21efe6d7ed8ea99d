import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { runIngest } from '../../src/ingest/pipeline';
import type { IngestOptions, IngestProgress } from '../../src/ingest/types';
import { FileSink } from '../../src/sinks/file';
import { StdoutSink } from '../../src/sinks/stdout';
import type { ChunkReceipt, ChunkWriter, LogFileRef, LogSink } from '../../src/sinks/types';

const file: LogFileRef & { fieldNames: string } = {
  sourceId: 'acme-prod',
  orgId: '00D5j00000DgAYG',
  fileId: '0AT5j00002LqQTxGAN',
  eventType: 'URI',
  logDate: '2026-11-27T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 1,
  fieldNames:
    'EVENT_TYPE,TIMESTAMP,REQUEST_ID,ORGANIZATION_ID,USER_ID,URI,USER_NAME,CLIENT_IP,TIMESTAMP_DERIVED,RUN_TIME',
};
const HEADER = file.fieldNames.split(',');
const CONTEXT = { sourceLabel: 'Acme Production', parseTime: '2026-11-27T19:00:00.000Z' };

/** A URI file with the usual trouble: duplicates, quotes, line breaks, unicode, malformed rows. */
function generateCsv(rows: number): Buffer {
  const q = (v: string): string => `"${v.replace(/"/g, '""')}"`;
  const out: string[] = [HEADER.map(q).join(',')];
  let prev = '';
  for (let i = 1; i <= rows; i++) {
    if (i === 50) {
      out.push('"URI","20261127130050.000","bad","00D5j00000DgAYG","005","/aura","x@acme.example","10.0.0.50');
      continue;
    }
    if (i === 120) {
      out.push('"URI","20261127130120.000","short"');
      continue;
    }
    if (i % 17 === 0) {
      out.push(prev); // an identical row right after its twin
      continue;
    }
    const ms = String(i % 1000).padStart(3, '0');
    const ts = `2026112713${String(Math.floor(i / 60) % 60).padStart(2, '0')}${String(i % 60).padStart(2, '0')}`;
    const uri = i % 23 === 0 ? `/apex/Page?q="quoted", and\nmore` : `/lightning/r/Account/001${i}/view`;
    const values = [
      'URI',
      i % 5 === 0 ? ts : `${ts}.${ms}`,
      `TID${i}`,
      '00D5j00000DgAYG',
      `0055j00000AT${i % 7}`,
      uri,
      i % 3 === 0 ? 'zoë.müller@例え.jp' : `user${i % 11}@acme.example`,
      i % 4 === 0 ? 'Salesforce.com IP' : `10.${i % 256}.0.1`,
      i % 9 === 0 ? '' : `2026-11-27T13:${ts.slice(10, 12)}:${ts.slice(12, 14)}.${i % 5 === 0 ? '000' : ms}Z`,
      String(i * 3),
    ];
    prev = values.map(q).join(',');
    out.push(prev);
  }
  return Buffer.from(out.join('\n') + '\n');
}

const CSV = generateCsv(300);

/** A stream of `data` in pieces of `size` bytes that fails once `failAt` bytes have been sent. */
function streamOf(data: Buffer, size = 97, failAt = Infinity): NodeJS.ReadableStream {
  let sent = 0;
  return new Readable({
    // read() runs again only once the consumer took what was pushed, so a failure comes after the bytes before it
    // were handed on, as from a socket, not while they still sit in this stream's buffer (where destroy drops them).
    highWaterMark: 1,
    read() {
      if (sent >= failAt) return void this.destroy(new Error('connection reset by peer'));
      if (sent >= data.length) return void this.push(null);
      const n = Math.min(size, data.length - sent, failAt - sent);
      this.push(data.subarray(sent, sent + n));
      sent += n;
    },
  });
}

/** Every file under `root` with its bytes' sha256. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const full = path.join(e.parentPath, e.name);
    out[path.relative(root, full)] = crypto.createHash('sha256').update(fs.readFileSync(full)).digest('hex');
  }
  return out;
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elf-ingest-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function options(dir: string, over: Partial<IngestOptions> = {}): IngestOptions {
  return {
    open: async () => streamOf(CSV),
    file,
    context: CONTEXT,
    sink: new FileSink({ dir, durable: false }),
    chunkRows: 40,
    offload: 'never',
    ...over,
  };
}

async function uninterrupted(over: Partial<IngestOptions> = {}): Promise<Record<string, string>> {
  const dir = path.join(tmp, `clean-${crypto.randomBytes(3).toString('hex')}`);
  await runIngest(options(dir, over));
  return snapshot(dir);
}

function readEvents(dir: string): Record<string, unknown>[] {
  const chunkDir = new FileSink({ dir }).directoryOf(file);
  return fs
    .readdirSync(chunkDir)
    .filter((n) => n.startsWith('part-'))
    .sort()
    .flatMap((n) =>
      zlib
        .gunzipSync(fs.readFileSync(path.join(chunkDir, n)))
        .toString('utf8')
        .trimEnd()
        .split('\n'),
    )
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('runIngest', () => {
  it('streams a file into committed chunks and completes it', async () => {
    const dir = path.join(tmp, 'out');
    const progress: { chunk: number; rows: number; bytes: number }[] = [];
    const warnings: unknown[][] = [];
    const result = await runIngest(
      options(dir, {
        onChunkCommitted: (p) => void progress.push(p),
        logger: { info: () => undefined, warn: (...a: unknown[]) => void warnings.push(a) },
      }),
    );
    expect(result).toEqual({
      rows: 300,
      chunks: 8,
      malformedRows: 2,
      unknownColumns: [],
      bytesRead: CSV.length,
      resumedFromChunk: undefined,
    });
    expect(progress.map((p) => [p.chunk, p.rows])).toEqual([
      [0, 40],
      [1, 80],
      [2, 120],
      [3, 160],
      [4, 200],
      [5, 240],
      [6, 280],
      [7, 300],
    ]);
    const events = readEvents(dir);
    expect(events).toHaveLength(300);
    expect(events.map((e) => (e.p_source_file as { row: number }).row)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    expect(events.filter((e) => 'p_parse_error' in e).map((e) => (e.p_source_file as { row: number }).row)).toEqual([
      50, 120,
    ]);
    expect(new Set(events.map((e) => e.p_row_id)).size).toBe(300); // duplicates got distinct ids
    expect(warnings.map((w) => w[1])).toEqual([
      { fileId: file.fileId, row: 50, error: expect.stringContaining('quote') as unknown },
      { fileId: file.fileId, row: 120, error: 'expected 10 columns, got 3' },
    ]);
    const manifest = JSON.parse(
      fs.readFileSync(path.join(new FileSink({ dir }).directoryOf(file), 'manifest.json'), 'utf8'),
    ) as { rows: number; chunks: unknown[]; malformedRows: number; completedAt: string };
    expect(manifest).toMatchObject({ rows: 300, malformedRows: 2, completedAt: CONTEXT.parseTime });
    expect(manifest.chunks).toHaveLength(8);
  });

  it('resumes after a stream failure mid-file with output byte-identical to an uninterrupted run', async () => {
    const expected = await uninterrupted();
    const dir = path.join(tmp, 'resumed');
    let last: IngestProgress | undefined;
    const failing = options(dir, {
      open: async () => streamOf(CSV, 97, Math.floor(CSV.length * 0.6)),
      onChunkCommitted: (p) => void (last = { chunk: p.chunk, rows: p.rows }),
    });
    await expect(runIngest(failing)).rejects.toThrow('connection reset by peer');
    // Where it stops depends on how far the stream had buffered when it failed; somewhere in the middle.
    const at = last as IngestProgress;
    expect(at.chunk).toBeGreaterThanOrEqual(0);
    expect(at.chunk).toBeLessThan(6);
    expect(at.rows).toBe((at.chunk + 1) * 40);
    const result = await runIngest(options(dir, { resume: at }));
    expect(result).toMatchObject({ rows: 300, chunks: 8, malformedRows: 2, resumedFromChunk: at.chunk + 1 });
    expect(snapshot(dir)).toEqual(expected);
  });

  it('stops on abort, discards the open chunk, and a resumed run still matches', async () => {
    const expected = await uninterrupted();
    const dir = path.join(tmp, 'aborted');
    const controller = new AbortController();
    let last: IngestProgress | undefined;
    const run = runIngest(
      options(dir, {
        signal: controller.signal,
        onChunkCommitted: (p) => {
          last = { chunk: p.chunk, rows: p.rows };
          if (p.chunk === 2) controller.abort(new Error('activity cancelled'));
        },
      }),
    );
    await expect(run).rejects.toThrow('activity cancelled');
    expect(last).toEqual({ chunk: 2, rows: 120 });
    const names = fs.readdirSync(new FileSink({ dir }).directoryOf(file));
    expect(names).toEqual(['part-00000.ndjson.gz', 'part-00001.ndjson.gz', 'part-00002.ndjson.gz']);
    await runIngest(options(dir, { resume: last }));
    expect(snapshot(dir)).toEqual(expected);
  });

  it('aborts a stalled download promptly', async () => {
    const dir = path.join(tmp, 'stalled');
    const controller = new AbortController();
    const stalled = new PassThrough();
    stalled.write(CSV.subarray(0, 5000)); // then nothing more
    const run = runIngest(options(dir, { open: async () => stalled, signal: controller.signal, chunkRows: 5 }));
    setTimeout(() => controller.abort(new Error('cancelled')), 50);
    const started = Date.now();
    await expect(run).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(2000);
    const chunkDir = new FileSink({ dir }).directoryOf(file);
    expect(fs.readdirSync(chunkDir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('rewrites a chunk committed but not yet reported (crash before the heartbeat) identically', async () => {
    const expected = await uninterrupted();
    const dir = path.join(tmp, 'late-heartbeat');
    await runIngest(options(dir));
    // The heartbeat of chunks 4..7 was lost: resume after chunk 3, rewriting 4..7 over the committed ones.
    await runIngest(options(dir, { resume: { chunk: 3, rows: 160 } }));
    expect(snapshot(dir)).toEqual(expected);
  });

  it.each([
    ['gzip', true],
    ['plain NDJSON (the worker hashes whole chunks for the manifest)', false],
  ])('writes the same bytes when ingesting in a worker thread, and on resume (%s)', async (_name, gzip) => {
    const sinkAt = (dir: string): FileSink => new FileSink({ dir, durable: false, gzip });
    const run = async (over: Partial<IngestOptions>): Promise<Record<string, string>> => {
      const dir = path.join(tmp, `clean-${crypto.randomBytes(3).toString('hex')}`);
      await runIngest(options(dir, { sink: sinkAt(dir), ...over }));
      return snapshot(dir);
    };
    const expected = await run({});
    expect(await run({ offload: 'always' })).toEqual(expected);
    expect(
      await run({ offload: 'auto', offloadFromBytes: 9000, file: { ...file, logFileLength: CSV.length } }),
    ).toEqual(expected);
    const dir = path.join(tmp, 'worker-resume');
    let last: IngestProgress | undefined;
    await expect(
      runIngest(
        options(dir, {
          sink: sinkAt(dir),
          offload: 'always',
          open: async () => streamOf(CSV, 500, Math.floor(CSV.length * 0.7)),
          onChunkCommitted: (p) => void (last = { chunk: p.chunk, rows: p.rows }),
        }),
      ),
    ).rejects.toThrow('connection reset');
    await runIngest(options(dir, { sink: sinkAt(dir), offload: 'always', resume: last }));
    expect(snapshot(dir)).toEqual(expected);
    // The manifest's digests are those of the chunk files, whichever thread computed them.
    const chunkDir = sinkAt(dir).directoryOf(file);
    const manifest = JSON.parse(fs.readFileSync(path.join(chunkDir, 'manifest.json'), 'utf8')) as {
      chunks: { file: string; sha256: string }[];
    };
    expect(manifest.chunks.length).toBeGreaterThan(3);
    for (const c of manifest.chunks) {
      const bytes = fs.readFileSync(path.join(chunkDir, c.file));
      expect(c.sha256).toBe(crypto.createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it.each(['never', 'always'] as const)(
    'decodes a compressed body (gzip, deflate, br) into the same output, in this thread or not (offload %s)',
    async (offload) => {
      const expected = await uninterrupted();
      const expectedWarnings: unknown[] = [];
      await runIngest(
        options(path.join(tmp, 'warn'), {
          logger: { info: () => undefined, warn: (m, meta) => void expectedWarnings.push([m, meta]) },
        }),
      );
      const codings = { gzip: zlib.gzipSync, deflate: zlib.deflateSync, br: zlib.brotliCompressSync } as const;
      for (const [encoding, compress] of Object.entries(codings)) {
        const dir = path.join(tmp, `${encoding}-${offload}`);
        const progress: number[] = [];
        const warnings: unknown[] = [];
        const result = await runIngest(
          options(dir, {
            offload,
            open: async () => ({
              stream: streamOf(compress(CSV), 301),
              encoding: encoding as keyof typeof codings,
              decodeError: (err) => err,
            }),
            onBytesRead: (bytes) => void progress.push(bytes),
            logger: { info: () => undefined, warn: (m, meta) => void warnings.push([m, meta]) },
          }),
        );
        expect(snapshot(dir)).toEqual(expected);
        expect(result).toMatchObject({ rows: 300, malformedRows: 2, bytesRead: CSV.length });
        expect(progress.at(-1)).toBe(CSV.length);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
        expect(warnings).toEqual(expectedWarnings);
      }
    },
  );

  it.each(['never', 'always'] as const)(
    'fails a corrupt compressed body with the error its download makes of it, nothing completed (offload %s)',
    async (offload) => {
      const gz = zlib.gzipSync(CSV);
      gz.fill(0x41, 2000, 2400); // deflate data that cannot decode
      const dir = path.join(tmp, `corrupt-${offload}`);
      const codes: unknown[] = [];
      const err = await runIngest(
        options(dir, {
          offload,
          open: async () => ({
            stream: streamOf(gz, 500),
            encoding: 'gzip',
            decodeError: (e) => {
              codes.push(e.code);
              return new Error(`LogFile ${file.fileId} does not decode (${e.code})`);
            },
          }),
        }),
      ).catch((e: unknown) => e);
      expect((err as Error).message).toBe(`LogFile ${file.fileId} does not decode (Z_DATA_ERROR)`);
      expect(codes).toEqual(['Z_DATA_ERROR']);
      expect(fs.existsSync(path.join(new FileSink({ dir }).directoryOf(file), 'manifest.json'))).toBe(false);
    },
  );

  it('aborts a stalled download promptly in a worker thread too', async () => {
    const dir = path.join(tmp, 'stalled-thread');
    const controller = new AbortController();
    const stalled = new PassThrough();
    stalled.write(CSV.subarray(0, 5000)); // then nothing more
    // Cancelled once the rows before the stall are being written: the thread waits for more of the body.
    let cancel: NodeJS.Timeout | undefined;
    const onChunkCommitted = (): void =>
      void (cancel ??= setTimeout(() => controller.abort(new Error('cancelled')), 50));
    const run = runIngest(
      options(dir, {
        open: async () => stalled,
        signal: controller.signal,
        chunkRows: 5,
        offload: 'always',
        onChunkCommitted,
      }),
    );
    await expect(run).rejects.toThrow('cancelled');
    const chunkDir = new FileSink({ dir }).directoryOf(file);
    expect(fs.readdirSync(chunkDir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(fs.readdirSync(chunkDir).length).toBeGreaterThan(0); // rows before the stall were written
  });

  it('writes to stdout the same events as to files', async () => {
    const dir = path.join(tmp, 'files');
    await runIngest(options(dir));
    const out = new PassThrough();
    const parts: Buffer[] = [];
    out.on('data', (b: Buffer) => parts.push(b));
    await runIngest(options(dir, { sink: new StdoutSink({ out }), offload: 'always' }));
    const lines = Buffer.concat(parts).toString('utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(readEvents(dir));
  });

  it('waits for the sink (backpressure end to end)', async () => {
    let pending = 0;
    let maxPending = 0;
    let rows = 0;
    const writer: ChunkWriter = {
      write() {
        rows++;
        pending++;
        maxPending = Math.max(maxPending, pending);
        return new Promise<void>((resolve) =>
          setImmediate(() => {
            pending--;
            resolve();
          }),
        );
      },
      commit: async (): Promise<ChunkReceipt> => ({ chunk: 0, rows: 0, bytes: 0 }),
      abort: async () => undefined,
    };
    const sink: LogSink = {
      kind: 'stdout',
      openChunk: async () => writer,
      completeFile: async () => undefined,
      describe: () => 'slow',
      close: async () => undefined,
    };
    await runIngest(options(tmp, { sink }));
    expect(rows).toBe(300);
    expect(maxPending).toBe(1);
  });

  it('fails on a commit error, reports no later chunk, and leaves no temp file', async () => {
    const dir = path.join(tmp, 'commit-error');
    const files = new FileSink({ dir, durable: false });
    const sink: LogSink = {
      kind: 'file',
      openChunk: async (f, chunk) => {
        const w = await files.openChunk(f, chunk);
        if (chunk !== 1) return w;
        return {
          ...w,
          write: (l) => w.write(l),
          commit: () => Promise.reject(new Error('disk full')),
          abort: () => w.abort(),
        };
      },
      completeFile: (f, summary) => files.completeFile(f, summary),
      describe: () => 'failing',
      close: async () => undefined,
    };
    const progress: number[] = [];
    await expect(
      runIngest(options(dir, { sink, onChunkCommitted: (p) => void progress.push(p.chunk) })),
    ).rejects.toThrow('disk full');
    expect(progress).toEqual([0]);
    const names = fs.readdirSync(files.directoryOf(file));
    expect(names.filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(names).toContain('part-00000.ndjson.gz');
    expect(names).not.toContain('manifest.json');
  });

  it.each(['never', 'always'] as const)(
    'completes an empty file and a header-only file with no chunks, new columns reported (offload %s)',
    async (offload) => {
      const headerOnly = Buffer.from([...HEADER, 'NEW_COLUMN_X'].join(',') + '\n');
      for (const [data, unknownColumns] of [
        [Buffer.alloc(0), []],
        [headerOnly, ['NEW_COLUMN_X']],
      ] as const) {
        const dir = path.join(tmp, `empty-${data.length}-${offload}`);
        const result = await runIngest(options(dir, { open: async () => streamOf(data), offload }));
        expect(result).toMatchObject({ rows: 0, chunks: 0, malformedRows: 0, unknownColumns });
        const manifest = JSON.parse(
          fs.readFileSync(path.join(new FileSink({ dir }).directoryOf(file), 'manifest.json'), 'utf8'),
        ) as { chunks: unknown[] };
        expect(manifest.chunks).toEqual([]);
      }
    },
  );

  it('refuses to resume past the end of a file that shrank', async () => {
    await expect(runIngest(options(path.join(tmp, 'x'), { resume: { chunk: 9, rows: 400 } }))).rejects.toThrow(
      /has 300 rows, but 400 were committed before/,
    );
  });

  it('validates its options', async () => {
    await expect(runIngest(options(tmp, { chunkRows: 0 }))).rejects.toThrow(RangeError);
    await expect(runIngest(options(tmp, { resume: { chunk: -1, rows: 0 } }))).rejects.toThrow(RangeError);
  });
});
