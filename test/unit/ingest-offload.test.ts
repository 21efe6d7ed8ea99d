import zlib from 'node:zlib';
import { createRowNormalizer } from '../../src/events/normalize';
import { BlockPool } from '../../src/ingest/block-builder';
import type { ContentEncoding } from '../../src/ingest/content-encoding';
import { IngestThreads, type FileAnswer, type ThreadedFile } from '../../src/ingest/ingest-threads';
import type { FromThreadMessage, InitMessage } from '../../src/ingest/offload-protocol';
import { ThreadFile } from '../../src/ingest/thread-file';
import { contextFor, fixture, parseAll } from './events-test-helpers';

function initFor(eventType: string, over: Partial<InitMessage> = {}): Omit<InitMessage, 'type' | 'stream'> {
  return {
    context: contextFor(eventType),
    encoding: 'identity',
    options: {},
    skipThrough: 0,
    maxMalformedSamples: 20,
    ...over,
  };
}

/** The lines the in-thread normalizer makes of a fixture, rows up to `skipThrough` left out. */
function expectedLines(name: string, eventType: string, skipThrough = 0): string {
  const parsed = parseAll(fixture(name));
  const direct = createRowNormalizer(contextFor(eventType), parsed.header ?? []);
  return parsed.records
    .map(({ row, record }) => {
      const line = Array.isArray(record) ? direct(record, row) : direct.malformed(record, row);
      return row <= skipThrough ? '' : line + '\n';
    })
    .join('');
}

const encode: Record<ContentEncoding, (b: Buffer) => Buffer> = {
  identity: (b) => b,
  gzip: (b) => zlib.gzipSync(b),
  deflate: (b) => zlib.deflateSync(b),
  br: (b) => zlib.brotliCompressSync(b),
};

/** Feeds `body` to a thread file in pieces of `size` bytes and collects every answer. */
async function throughThreadFile(init: InitMessage, body: Buffer, size = 100): Promise<FromThreadMessage[]> {
  const answers: FromThreadMessage[] = [];
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const file = new ThreadFile(init, new BlockPool(), (m) => {
    answers.push(m);
    if (m.type === 'end' || m.type === 'error') done();
  });
  for (let i = 0; i < body.length; i += size) file.write(new Uint8Array(body.subarray(i, i + size)));
  file.end();
  await finished;
  return answers;
}

function textOf(answers: readonly FromThreadMessage[]): string {
  return answers.map((a) => (a.type === 'result' ? Buffer.from(a.block).toString('utf8') : '')).join('');
}

/** Every answer of a threaded file, up to its end or error. */
async function drain(file: ThreadedFile): Promise<FileAnswer[]> {
  const answers: FileAnswer[] = [];
  for (;;) {
    const a = await file.next();
    if (a.type === 'result') {
      answers.push({ ...a, block: a.block.slice() });
      file.recycle(a.block); // hands the buffer back: it is detached here from now on
    } else answers.push(a);
    if (a.type === 'end' || a.type === 'error') return answers;
  }
}

describe('ingest worker threads', () => {
  it.each(['identity', 'gzip', 'deflate', 'br'] as const)(
    'decode, parse and normalize a %s body to the lines of the in-thread normalizer, skipped rows included',
    async (encoding) => {
      for (const [name, type] of [
        ['login.csv', 'Login'],
        ['uri-crlf.csv', 'URI'],
        ['malformed-middle.csv', 'Logout'],
        ['duplicates.csv', 'URI'],
      ] as const) {
        const init: InitMessage = { type: 'init', stream: 1, ...initFor(type, { encoding, skipThrough: 1 }) };
        const answers = await throughThreadFile(init, encode[encoding](fixture(name)), 37);
        expect(textOf(answers)).toBe(expectedLines(name, type, 1));
        const end = answers.at(-1);
        expect(end).toMatchObject({
          type: 'end',
          decodedBytes: fixture(name).length,
          rows: parseAll(fixture(name)).records.length,
        });
        // The header comes first, before any line.
        expect(answers.find((a) => a.type !== 'consumed')?.type).toBe('header');
      }
    },
  );

  it('reports malformed rows one by one up to the limit, then only their number', async () => {
    const init: InitMessage = { type: 'init', stream: 1, ...initFor('Logout', { maxMalformedSamples: 0 }) };
    const answers = await throughThreadFile(init, fixture('malformed-middle.csv'));
    const results = answers.filter((a) => a.type === 'result');
    const malformed = parseAll(fixture('malformed-middle.csv')).records.filter((r) => !Array.isArray(r.record));
    expect(malformed.length).toBeGreaterThan(0);
    expect(results.reduce((n, r) => n + r.malformed, 0)).toBe(malformed.length);
    expect(results.flatMap((r) => r.malformedSamples)).toEqual([]);
    const sampled = await throughThreadFile({ ...init, maxMalformedSamples: 20 }, fixture('malformed-middle.csv'));
    expect(sampled.flatMap((a) => (a.type === 'result' ? a.malformedSamples.map((s) => s.row) : []))).toEqual(
      malformed.map((m) => m.row),
    );
  });

  it('fails a file that is not a CSV, or whose compressed body is corrupt, with the kind of failure', async () => {
    const notCsv = await throughThreadFile(
      { type: 'init', stream: 1, ...initFor('Login') },
      Buffer.from('<html><body>Maintenance</body></html>\n'),
    );
    expect(notCsv.find((a) => a.type === 'error')).toMatchObject({
      kind: 'format',
      message: expect.stringContaining('0AT5j00002LqQTxGAN (Login)') as unknown,
    });
    expect(notCsv.filter((a) => a.type !== 'consumed' && a.type !== 'error')).toEqual([]);
    const gz = zlib.gzipSync(fixture('login.csv'));
    gz.fill(0x41, 20, 60);
    const corrupt = await throughThreadFile({ type: 'init', stream: 1, ...initFor('Login', { encoding: 'gzip' }) }, gz);
    expect(corrupt.at(-1)).toMatchObject({ type: 'error', kind: 'decode', code: 'Z_DATA_ERROR' });
  });

  it("fails the file whose body fails, and keeps the thread's other files", async () => {
    const pool = new IngestThreads(() => 2);
    // Two threads for three files: the third shares the first's thread.
    const files = [0, 1, 2].map((i) => pool.open(initFor('Login', { encoding: i === 0 ? 'gzip' : 'identity' })));
    const [broken, other, sameThread] = files as [ThreadedFile, ThreadedFile, ThreadedFile];
    try {
      expect(pool.threadCount).toBe(2);
      await broken.write(Buffer.from('this is not gzip'));
      broken.end();
      for (const f of [other, sameThread]) {
        await f.write(fixture('login.csv'));
        f.end();
      }
      expect((await drain(broken)).at(-1)).toMatchObject({ type: 'error', kind: 'decode' });
      for (const f of [sameThread, other]) {
        const answers = await drain(f);
        expect(answers.at(-1)?.type).toBe('end');
        expect(textOf(answers)).toBe(expectedLines('login.csv', 'Login'));
      }
    } finally {
      for (const f of files) await f.close();
    }
    expect(pool.threadCount).toBe(0);
  });

  it('runs a thread per file up to one per core, then shares them, and ends each with its last file', async () => {
    expect(new IngestThreads(() => 1).available).toBe(false);
    const pool = new IngestThreads(() => 2);
    expect(pool.available).toBe(true);
    const body = zlib.gzipSync(fixture('uri-crlf.csv'));
    const files: ThreadedFile[] = [];
    for (let i = 0; i < 4; i++) {
      files.push(pool.open(initFor('URI', { encoding: 'gzip' })));
      expect(pool.threadCount).toBe(Math.min(2, i + 1));
    }
    try {
      // Four files at once, their pieces interleaved: each file's lines come back whole and in order.
      for (let at = 0; at < body.length; at += 50) {
        for (const f of files) await f.write(body.subarray(at, at + 50));
      }
      for (const f of files) f.end();
      for (const f of files) expect(textOf(await drain(f))).toBe(expectedLines('uri-crlf.csv', 'URI'));
      await files[0]!.close();
      await files[1]!.close();
      expect(pool.threadCount).toBe(2);
    } finally {
      for (const f of files) await f.close();
    }
    expect(pool.threadCount).toBe(0);
  });

  it('reuses the buffers that cross: body pieces once decoded, event blocks once written', async () => {
    const pool = new BlockPool();
    const first = pool.copyOf(Buffer.from('a\n'.repeat(1000)));
    pool.give(first.buffer as ArrayBuffer);
    const second = pool.copyOf(Buffer.from('b\n'.repeat(500)));
    expect(second.buffer).toBe(first.buffer);
    expect(Buffer.from(second).toString()).toBe('b\n'.repeat(500));
    // A spare too small is let go.
    pool.give(second.buffer as ArrayBuffer);
    expect(pool.copyOf(Buffer.alloc(second.buffer.byteLength + 1)).buffer).not.toBe(second.buffer);

    const threads = new IngestThreads(() => 2);
    const file = threads.open(initFor('Login'));
    try {
      const piece = fixture('login.csv');
      await file.write(piece);
      await file.write(piece.subarray(0, 0));
      file.end();
      expect(textOf(await drain(file))).toBe(expectedLines('login.csv', 'Login'));
      // The piece was copied into a buffer of the file's own, not transferred away from the caller.
      expect(piece.length).toBeGreaterThan(0);
      expect(piece.toString('utf8')).toBe(fixture('login.csv').toString('utf8'));
    } finally {
      await file.close();
    }
  });
});
