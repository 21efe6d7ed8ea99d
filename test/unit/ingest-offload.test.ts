import os from 'node:os';
import { createRowNormalizer } from '../../src/events/normalize';
import { LogFileParser } from '../../src/events/parse-log-file';
import { NormalizeWorkerClient } from '../../src/ingest/normalize-worker-client';
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
  return batches.filter((b) => b.count > 0).map((b) => ({ type: 'batch', ...b, skipThrough }));
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

  it('rejects pending batches when the worker fails, without unhandled rejections', async () => {
    const { init: msg } = init('login.csv', 'Login');
    // A batch announcing a malformed record it does not carry makes the worker throw.
    const client = new NormalizeWorkerClient(msg);
    try {
      const [batch] = batchesOf('login.csv', 0) as [BatchMessage];
      const broken = { ...batch, malformed: [], malformedAt: [batch.firstRow] };
      const first = client.submit(broken);
      const second = client.submit(batchesOf('login.csv', 0)[0] as BatchMessage);
      await expect(first).rejects.toThrow(/normalize worker/);
      await expect(second).rejects.toThrow(/normalize worker/);
      await expect(client.submit(batchesOf('login.csv', 0)[0] as BatchMessage)).rejects.toThrow(/normalize worker/);
    } finally {
      await client.terminate();
    }
  });
  it('takes a worker per core (none on a single core), and gives it back when the worker ends', async () => {
    const cores = jest.spyOn(os, 'availableParallelism');
    try {
      cores.mockReturnValue(1);
      expect(NormalizeWorkerClient.hasSpareCore()).toBe(false);
      cores.mockReturnValue(2);
      expect(NormalizeWorkerClient.hasSpareCore()).toBe(true);
      const first = new NormalizeWorkerClient(init('login.csv', 'Login').init);
      expect(NormalizeWorkerClient.hasSpareCore()).toBe(true);
      const second = new NormalizeWorkerClient(init('login.csv', 'Login').init);
      expect(NormalizeWorkerClient.hasSpareCore()).toBe(false);
      await second.terminate();
      expect(NormalizeWorkerClient.hasSpareCore()).toBe(true);
      await first.terminate();
    } finally {
      cores.mockRestore();
    }
  });
});
