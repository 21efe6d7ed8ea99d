/**
 * §1 Two workers (one in this process, one a separate `elfstream worker` process) poll the same task queue while
 * a live cycle and an overlapping backfill ingest the same files: the per-file ledger workflows make each file
 * land once, whoever runs it.
 */
import path from 'node:path';
import { salesforceSourceWorkflow } from '../../src/workflows';
import { sourceWorkflowId } from '../../src/workflows/ids';
import { backfillSignal, pollNowSignal } from '../../src/workflows/messages';
import { OUTPUT_DIR } from '../helpers/global-setup';
import {
  createSourceHarness,
  HARNESS_EVENT_TYPES,
  harnessEnv,
  HOUR,
  simulatedStart,
  waitForStatus,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess } from '../helpers/worker-process';
import { checkOutput, expectByteIdentical, expectedFiles, liveRange, scenario } from './support';

describe('reliability: competing workers', () => {
  const t = useTestServer();

  scenario(
    {
      id: 'fault/competing-workers',
      scenario: 'Two workers competing for one task queue, live cycle and overlapping backfill at once',
      injected:
        'an in-process worker and an `elfstream worker` process on the same task queue; a backfill over the range the live cycle is ingesting, sent with the start (signal-with-start) so both run at once',
      compares:
        'both workers and both paths (live, backfill) ingested files; per-file row counts = ground truth for exactly the expected files; no duplicate p_row_id; byte-identical; every listed file accounted for as ingested or skipped',
    },
    async (facts) => {
      const now = simulatedStart();
      const h = await createSourceHarness(t, {
        sourcePrefix: 'compete',
        sim: { now, days: 1, rowsPerFile: { min: 50, max: 400 } },
        settings: { startFrom: new Date(Date.parse(now) - 14 * HOUR).toISOString(), concurrency: '6' },
      });
      const other = startWorkerProcess(
        h.configPath,
        harnessEnv(h.sim),
        path.join(OUTPUT_DIR, `reliability-compete-${h.sourceId}.log`),
      );
      try {
        await other.ready;
        h.sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 200_000, count: 10_000 });
        await h.withWorker(async () => {
          // The backfill signal arrives with the start, so its child workflow runs alongside the first live cycle.
          const from = new Date(Date.parse(now) - 16 * HOUR).toISOString();
          const handle = await t.client.workflow.signalWithStart(salesforceSourceWorkflow, {
            taskQueue: h.taskQueue,
            workflowId: sourceWorkflowId(h.sourceId),
            args: [{ sourceId: h.sourceId }],
            signal: backfillSignal,
            signalArgs: [{ from, to: now }],
          });
          let status = await waitForStatus(
            handle,
            (s) => s.cycles >= 1 && s.state === 'waiting' && s.backfills.some((b) => b.state !== 'running'),
            180_000,
          );
          expect(status.lastCycle?.error).toBeUndefined();
          expect(status.failedFiles).toEqual([]);
          const b = status.backfills[0]!;
          expect(b.state).toBe('completed');
          expect(b.filesIngested + b.filesSkipped).toBe(b.filesListed);
          const live = status.lastCycle!;
          facts.liveIngested = live.filesIngested;
          facts.liveAlreadyDone = live.filesAlreadyDone;
          facts.liveInProgressElsewhere = live.filesListed - live.filesIngested - live.filesAlreadyDone;
          facts.backfillIngested = b.filesIngested;
          facts.backfillSkipped = b.filesSkipped;
          // Both paths did real work on the same files.
          expect(live.filesIngested).toBeGreaterThan(0);
          expect(b.filesIngested).toBeGreaterThan(0);
          // A second cycle settles the files the first one saw in progress elsewhere.
          await handle.signal(pollNowSignal);
          status = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting', 120_000);
          expect(status.lastCycle?.error).toBeUndefined();
          // Expected: the live range, plus what the backfill's LogDate range adds (files created up to now).
          const liveFiles = expectedFiles(h, liveRange(h));
          const backfillFiles = h.sim.control
            .listFiles()
            .filter((f) => f.interval === 'Hourly' && f.logDate >= from && f.logDate < now)
            .filter((f) => HARNESS_EVENT_TYPES.includes(f.eventType));
          const byId = new Map([...liveFiles, ...backfillFiles].map((f) => [f.id, f]));
          const expected = [...byId.values()];
          Object.assign(facts, checkOutput(h, expected));
          await expectByteIdentical(h, expected);
          await handle.terminate('test done');
          const byProcess = (other.output().match(/ingested EventLogFile/g) ?? []).length;
          facts.filesByWorkerProcess = byProcess;
          facts.filesByInProcessWorker = expected.length - byProcess;
          expect(byProcess).toBeGreaterThan(0);
          expect(byProcess).toBeLessThan(expected.length);
        });
      } finally {
        await other.kill('SIGKILL');
        await h.close();
      }
    },
    240_000,
  );
});
