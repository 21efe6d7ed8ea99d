/**
 * A worker process killed with SIGKILL in the middle of a large file: a new worker process finishes it, resuming
 * after the last committed chunk, and the output is byte-for-byte what an uninterrupted ingestion writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { runIngest } from '../../src/ingest/pipeline';
import { FileSink } from '../../src/sinks';
import type { IngestResult } from '../../src/activities/types';
import { fileWorkflowId, sourceWorkflowId } from '../../src/workflows/ids';
import { snapshotDir, walk } from '../helpers/output';
import { createSourceHarness, harnessEnv, HOUR, startSourceWorkflow } from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess } from '../helpers/worker-process';
import { OUTPUT_DIR } from '../helpers/global-setup';

const ROWS = 120_000;

describe('worker crash in the middle of a large file', () => {
  const t = useTestServer();

  it('is finished by another worker process from the last committed chunk, output identical', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'crash', sim: { days: 1, eventTypes: ['URI'] } });
    const workers = [];
    try {
      const big = h.sim.control.addFile({
        eventType: 'URI',
        logDate: new Date(Math.floor(Date.parse(h.sim.control.now()) / HOUR - 2) * HOUR).toISOString(),
        interval: 'Hourly',
        rows: ROWS,
        createdDate: new Date(Date.parse(h.sim.control.now()) - 10 * 60_000).toISOString(),
      });
      // Slow enough that the kill lands mid-file, fast enough for a test.
      h.sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 1_500_000, fileId: big.id, count: 1 });
      const logFile = path.join(OUTPUT_DIR, `worker-crash-${h.sourceId}.log`);
      const first = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
      workers.push(first);
      await first.ready;
      await startSourceWorkflow(t, h);

      // Kill once a few chunks of the big file are committed.
      const parts = (): string[] =>
        walk(h.outputDir).filter((p) => p.includes(big.id) && /part-\d+\.ndjson/.test(p) && !p.includes('.tmp'));
      const deadline = Date.now() + 90_000;
      while (parts().length < 5) {
        if (Date.now() > deadline) throw new Error(`no progress on the big file; worker output:\n${first.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await first.kill('SIGKILL');
      const committedAtKill = parts().length;
      expect(committedAtKill).toBeLessThan(ROWS / 1000);

      const second = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
      workers.push(second);
      await second.ready;
      const result = (await t.client.workflow
        .getHandle(fileWorkflowId(h.sourceId, h.sim.orgId, big.id))
        .result()) as IngestResult;
      expect(result.rows).toBe(ROWS);
      expect(result.resumedFromChunk).toBeGreaterThan(0);
      expect(result.resumedFromChunk).toBeLessThanOrEqual(committedAtKill);

      // The same file ingested in one go, with the same parse time, into another folder.
      const dir = path.dirname(parts()[0]!);
      const parseTime =
        JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).parseTime ?? firstParseTime(dir);
      const referenceDir = path.join(h.tmpDir, 'reference');
      const reference = new FileSink({ dir: referenceDir, durable: false });
      const ref = {
        sourceId: h.sourceId,
        orgId: h.sim.orgId,
        fileId: big.id,
        eventType: 'URI',
        logDate: big.logDate,
        interval: 'Hourly' as const,
        sequence: big.sequence,
      };
      await runIngest({
        open: async () => h.sim.control.fileCsv(big.id),
        file: ref,
        context: { sourceLabel: 'Acme (simulated)', parseTime },
        sink: reference,
        chunkRows: 1000,
      });
      const actual = snapshotDir(dir, /^$/);
      const expected = snapshotDir(reference.directoryOf(ref), /^$/);
      expect([...actual.keys()]).toEqual([...expected.keys()]);
      for (const [name, bytes] of expected) expect(actual.get(name)!.equals(bytes)).toBe(true);
      await t.client.workflow.getHandle(sourceWorkflowId(h.sourceId)).terminate('test done');
    } finally {
      for (const w of workers) await w.kill('SIGKILL');
      await h.close();
    }
  });
});

function firstParseTime(dir: string): string {
  const first = zlib
    .gunzipSync(fs.readFileSync(path.join(dir, 'part-00000.ndjson.gz')))
    .toString()
    .split('\n')[0]!;
  return (JSON.parse(first) as { p_parse_time: string }).p_parse_time;
}
