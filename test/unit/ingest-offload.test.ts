import { createRowNormalizer } from '../../src/events/normalize';
import { LogFileParser } from '../../src/events/parse-log-file';
import { NormalizeWorkers, type NormalizeStream } from '../../src/ingest/normalize-workers';
import { PackedBatchNormalizer, type BatchMessage, type InitMessage } from '../../src/ingest/offload-protocol';
import { contextFor, fixture, parseAll } from './events-test-helpers';

function init(name: string, eventType: string): { init: InitMessage; parsed: ReturnType<typeof parseAll> } {
  const parsed = parseAll(fixture(name));
  const header = parsed.header ?? [];
  const normalizer = createRowNormalizer(contextFor(eventType), header);
  return {
    parsed,
    init: {
      type: 'init',
      stream: 1,
      context: contextFor(eventType),
      header,
      options: {},
      rowIdState: normalizer.exportRowIdState(),
    },
  };
}

/** A whole fixture as batch messages, packed by the parser as the pipeline packs it. */
function batchesOf(name: string, skipThrough: number): BatchMessage[] {
  const parser = new LogFileParser({ fileId: 'F1' });
  const data = fixture(name);
  const batches = [];
  for (let i = 0; i < data.length; i += 100) batches.push(parser.writePacked(data.subarray(i, i + 100)));
  batches.push(parser.endPacked());
  return batches.filter((b) => b.count > 0).map((b) => ({ type: 'batch', stream: 1, ...b, skipThrough }));
}

describe('normalize offload', () => {
  it('packed batches normalize to the same lines as the in-thread normalizer, skipped rows included', () => {
    for (const [name, type] of [
      ['login.csv', 'Login'],
      ['uri-crlf.csv', 'URI'],
      ['malformed-middle.csv', 'Logout'],
      ['duplicates.csv', 'URI'],
    ] as const) {
      const { init: msg, parsed } = init(name, type);
      const direct = createRowNormalizer(contextFor(type), parsed.header ?? []);
      const skipThrough = 1;
      const expected = parsed.records
        .map(({ row, record }) => {
          const line = Array.isArray(record) ? direct(record, row) : direct.malformed(record, row);
          return row <= skipThrough ? undefined : line;
        })
        .filter((l) => l !== undefined);
      const worker = new PackedBatchNormalizer(msg);
      const results = batchesOf(name, skipThrough).map((b) => worker.run(b));
      expect(results.reduce((n, r) => n + r.lines, 0)).toBe(expected.length);
      const text = results.map((r) => Buffer.from(r.block).toString('utf8')).join('');
      expect(text).toBe(expected.map((l) => l + '\n').join(''));
    }
  });

  it("fails the stream whose batch fails, with its pending batches, and keeps the thread's other streams", async () => {
    const pool = new NormalizeWorkers(() => 2);
    const { init: msg } = init('login.csv', 'Login');
    const [batch] = batchesOf('login.csv', 0) as [BatchMessage];
    // Two threads for three streams: the third shares the first's thread.
    const streams = [pool.open(msg), pool.open(msg), pool.open(msg)];
    const [broken, other, sameThread] = streams as [NormalizeStream, NormalizeStream, NormalizeStream];
    try {
      expect(pool.threadCount).toBe(2);
      // A batch announcing a malformed record it does not carry makes the worker throw for that stream.
      const first = broken.submit({ ...batch, malformed: [], malformedAt: [batch.firstRow] });
      const second = broken.submit(batchesOf('login.csv', 0)[0] as BatchMessage);
      await expect(first).rejects.toThrow(/normalize worker/);
      await expect(second).rejects.toThrow(/normalize worker/);
      await expect(broken.submit(batchesOf('login.csv', 0)[0] as BatchMessage)).rejects.toThrow(/normalize worker/);
      for (const s of [sameThread, other]) {
        const result = await s.submit(batchesOf('login.csv', 0)[0] as BatchMessage);
        expect(result.lines).toBe(batch.count);
      }
    } finally {
      for (const s of streams) await s.close();
    }
    expect(pool.threadCount).toBe(0);
  });

  it('runs a thread per file up to one per core, then shares them, and ends each with its last file', async () => {
    expect(new NormalizeWorkers(() => 1).available).toBe(false);
    const pool = new NormalizeWorkers(() => 2);
    expect(pool.available).toBe(true);
    const { init: msg, parsed } = init('uri-crlf.csv', 'URI');
    const direct = createRowNormalizer(contextFor('URI'), parsed.header ?? []);
    const expected = parsed.records
      .map(({ row, record }) => (Array.isArray(record) ? direct(record, row) : direct.malformed(record, row)) + '\n')
      .join('');
    const streams = [];
    for (let i = 0; i < 4; i++) {
      streams.push(pool.open(msg));
      expect(pool.threadCount).toBe(Math.min(2, i + 1));
    }
    try {
      // Four files at once, their batches interleaved: each stream's lines come back whole and in order.
      const batches = streams.map(() => batchesOf('uri-crlf.csv', 0)); // each its own: batches are transferred
      const results = streams.map(() => [] as Promise<{ block: Uint8Array }>[]);
      for (let b = 0; b < (batches[0] as BatchMessage[]).length; b++) {
        streams.forEach((s, i) => results[i]!.push(s.submit(batches[i]![b]!)));
      }
      for (const r of results) {
        const blocks = await Promise.all(r);
        expect(blocks.map((b) => Buffer.from(b.block).toString('utf8')).join('')).toBe(expected);
      }
      await streams[0]!.close();
      await streams[1]!.close();
      expect(pool.threadCount).toBe(2);
    } finally {
      for (const s of streams) await s.close();
    }
    expect(pool.threadCount).toBe(0);
  });

  it("hands each batch's values back with its answer, for the parser to reuse", async () => {
    const pool = new NormalizeWorkers(() => 2);
    const { init: msg } = init('login.csv', 'Login');
    const batches = batchesOf('login.csv', 0);
    const sent = batches.map((b) => ({ bytes: Buffer.from(b.values.bytes), lengths: Array.from(b.values.lengths) }));
    const stream = pool.open(msg);
    try {
      const results = await Promise.all(batches.map((b) => stream.submit(b)));
      expect(batches[0]!.values.bytes.byteLength).toBe(0); // transferred, not copied
      expect(
        results.map((r) => ({ bytes: Buffer.from(r.spent!.bytes), lengths: Array.from(r.spent!.lengths) })),
      ).toEqual(sent);
    } finally {
      await stream.close();
    }
  });
});
