/**
 * §1 Worker processes killed with SIGKILL at random moments of one multi-file cycle, again and again, each time a
 * new worker process takes over: every file ends up in the output exactly once and byte-for-byte what an
 * uninterrupted ingestion writes, with no temporary file left behind.
 */
import path from 'node:path';
import type { IngestResult } from '../../src/activities/types';
import { statusQuery } from '../../src/workflows/messages';
import { fileWorkflowId } from '../../src/workflows/ids';
import { OUTPUT_DIR } from '../helpers/global-setup';
import {
  createSourceHarness,
  harnessEnv,
  HOUR,
  simulatedStart,
  waitForStatus,
  startSourceWorkflow,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { walk } from '../helpers/output';
import { checkOutput, expectByteIdentical, expectedFiles, liveRange, scenario, sleep, strayTempFiles } from './support';

const KILLS = 3;

describe('reliability: worker SIGKILL', () => {
  const t = useTestServer();

  scenario(
    {
      id: 'fault/worker-sigkill',
      scenario: 'Worker process SIGKILLed repeatedly during a multi-file cycle',
      injected: `${KILLS} SIGKILLs of the worker process at random moments (seeded) while files stream; a new worker process after each`,
      compares:
        'per-file row counts = simulator ground truth for exactly the expected files; no duplicate p_row_id; every chunk and manifest byte-identical to an uninterrupted ingestion; no temp files left',
    },
    async (facts) => {
      const seed = Number(process.env.ELFSTREAM_RELIABILITY_SEED ?? Date.now() % 100_000);
      facts.seed = seed;
      let rnd = seed;
      const random = (): number => ((rnd = (rnd * 48271) % 2147483647) / 2147483647) % 1;
      const now = simulatedStart();
      const h = await createSourceHarness(t, {
        sourcePrefix: 'sigkill',
        sim: { now, days: 1, rowsPerFile: { min: 1500, max: 5000 } },
        settings: { startFrom: new Date(Date.parse(now) - 9 * HOUR).toISOString() },
      });
      const workers: WorkerProcess[] = [];
      const logFile = path.join(OUTPUT_DIR, `reliability-sigkill-${h.sourceId}.log`);
      try {
        // Slow bodies so that every file takes a second or two and kills land inside files, between chunks.
        h.sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 700_000, count: 10_000 });
        const expected = expectedFiles(h, liveRange(h), {});
        expect(expected.length).toBeGreaterThanOrEqual(12);
        let worker = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
        workers.push(worker);
        await worker.ready;
        const handle = await startSourceWorkflow(t, h);
        const chunksOnDisk = (): number => walk(h.outputDir).filter((p) => /part-\d+\.ndjson\.gz$/.test(p)).length;
        const killedAt: number[] = [];
        for (let i = 0; i < KILLS; i++) {
          // Wait for progress since the last kill, then kill after a random extra delay.
          const before = chunksOnDisk();
          const deadline = Date.now() + 180_000;
          let cycleDone = false;
          for (let polls = 0; chunksOnDisk() <= before && !cycleDone; polls++) {
            if (Date.now() > deadline) throw new Error(`no progress after kill ${i}:\n${worker.output()}`);
            await sleep(100);
            // The cycle may have finished every file before this kill: nothing is left to interrupt.
            if (polls % 10 === 9) cycleDone = (await handle.query(statusQuery).catch(() => undefined))?.cycles === 1;
          }
          if (cycleDone) break;
          await sleep(Math.floor(300 + random() * 2500));
          killedAt.push(chunksOnDisk());
          await worker.kill('SIGKILL');
          worker = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
          workers.push(worker);
          await worker.ready;
        }
        expect(killedAt.length).toBeGreaterThan(0);
        facts.kills = killedAt.length;
        facts.chunksOnDiskAtKills = killedAt;
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 240_000);
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.failedFiles).toEqual([]);
        // Status totals match the ground truth too.
        expect(status.totals.files).toBe(expected.length);
        expect(status.totals.rows).toBe(expected.reduce((n, f) => n + f.rows, 0));

        Object.assign(facts, checkOutput(h, expected));
        await expectByteIdentical(h, expected);
        expect(strayTempFiles(h.outputDir)).toEqual([]);
        let resumed = 0;
        for (const f of expected) {
          const r = (await t.client.workflow
            .getHandle(fileWorkflowId(h.sourceId, h.sim.orgId, f.id))
            .result()) as IngestResult;
          expect(r.rows).toBe(f.rows);
          if (r.resumedFromChunk) resumed += 1;
        }
        facts.filesResumedFromAChunk = resumed;
        await handle.terminate('test done');
      } finally {
        for (const w of workers) await w.kill('SIGKILL');
        await h.close();
      }
    },
    400_000,
  );
});
