/**
 * Records the replay fixtures of the current release (package.json `version`) from real runs against the dev
 * server and the simulator: every path a running source can be in, and the file and backfill workflows.
 * Runs only when asked, since a release's fixtures are recorded once and never overwritten:
 *   ELFSTREAM_RECORD_HISTORIES=1 npx jest test/replay/record-histories --runInBand
 */
import type { WorkflowHandle } from '@temporalio/client';
import { startSource } from '../../src/cli/start-sources';
import { salesforceSourceWorkflow } from '../../src/workflows';
import { fileWorkflowId, sourceWorkflowId } from '../../src/workflows/ids';
import { backfillSignal, pauseSignal, pollNowSignal, resumeSignal } from '../../src/workflows/messages';
import { recordHistory } from '../helpers/histories';
import {
  createSourceHarness,
  HOUR,
  startSourceWorkflow,
  waitForStatus,
  type SourceHarness,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

const recording = process.env.ELFSTREAM_RECORD_HISTORIES === '1';

type SourceHandle = WorkflowHandle<typeof salesforceSourceWorkflow>;

(recording ? describe : describe.skip)('recording replay fixtures of this release', () => {
  const t = useTestServer();

  /** A harness with a worker for `fn`, closed afterwards. */
  async function withSource(prefix: string, fn: (h: SourceHarness) => Promise<void>): Promise<void> {
    const h = await createSourceHarness(t, { sourcePrefix: prefix });
    try {
      await h.withWorker(() => fn(h));
    } finally {
      await h.close();
    }
  }

  const waiting = (handle: SourceHandle, cycles: number, timeoutMs?: number) =>
    waitForStatus(handle, (s) => s.cycles >= cycles && s.state === 'waiting', timeoutMs);

  it('poll cycles: first range, files appearing later, an empty cycle; one file workflow', async () => {
    await withSource('cycles', async (h) => {
      const handle = await startSourceWorkflow(t, h);
      await waiting(handle, 1);
      h.sim.control.advance(3 * HOUR);
      await handle.signal(pollNowSignal);
      await waiting(handle, 2);
      await handle.signal(pollNowSignal);
      const status = await waiting(handle, 3);
      expect(status.lastCycle).toMatchObject({ filesIngested: 0 });
      await handle.terminate('recorded');
      recordHistory('source-poll-cycles', handle.workflowId);
      const startFrom = h.config.sources[0]!.startFrom;
      const file = h.sim.control.listFiles().find((f) => f.interval === 'Hourly' && f.createdDate >= startFrom)!;
      recordHistory('file-ingested', fileWorkflowId(h.sourceId, h.sim.orgId, file.id));
    });
  });

  it('pause, pollNow while paused, resume, pollNow', async () => {
    await withSource('pausing', async (h) => {
      const handle = await startSourceWorkflow(t, h);
      await waiting(handle, 1);
      await handle.signal(pauseSignal);
      await waitForStatus(handle, (s) => s.state === 'paused');
      h.sim.control.advance(2 * HOUR);
      await handle.signal(pollNowSignal);
      await waitForStatus(handle, (s) => /pollNow ignored/.test(s.lastError?.message ?? ''));
      await handle.signal(resumeSignal);
      await waitForStatus(handle, (s) => !s.paused);
      await handle.signal(pollNowSignal);
      await waiting(handle, 2);
      await handle.terminate('recorded');
      recordHistory('source-pause-resume-pollnow', handle.workflowId);
    });
  });

  it('rejected backfills, a backfill that runs to completion, and a backfill while paused', async () => {
    await withSource('backfill', async (h) => {
      const handle = await startSourceWorkflow(t, h);
      await waiting(handle, 1);
      await handle.signal(backfillSignal, { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
      await waitForStatus(handle, (s) => /backfill rejected/.test(s.lastError?.message ?? ''));
      const now = Date.parse(h.sim.control.now());
      const from = new Date(now - 20 * HOUR).toISOString();
      const to = new Date(now - 8 * HOUR).toISOString();
      await handle.signal(backfillSignal, { from, to });
      const status = await waitForStatus(handle, (s) => s.backfills.some((b) => b.state === 'completed'), 120_000);
      await handle.signal(pauseSignal);
      await waitForStatus(handle, (s) => s.state === 'paused');
      await handle.signal(backfillSignal, { from, to: new Date(now - 6 * HOUR).toISOString(), eventTypes: ['Login'] });
      await waitForStatus(handle, (s) => s.backfills.filter((b) => b.state === 'completed').length >= 2, 120_000);
      await handle.terminate('recorded');
      recordHistory('source-backfills', handle.workflowId);
      recordHistory('backfill-range', status.backfills.find((b) => b.state === 'completed')!.backfillId);
    });
  });

  it('stop (cancel, state as result), then start from that state', async () => {
    await withSource('restart', async (h) => {
      const source = h.config.sources[0]!;
      const first = await startSource(t.client, h.config, source);
      const handle = t.client.workflow.getHandle<typeof salesforceSourceWorkflow>(first.workflowId);
      await waiting(handle, 1);
      await handle.cancel();
      await handle.result();
      const second = await startSource(t.client, h.config, source);
      await waitForStatus(handle, (s) => s.state === 'waiting');
      h.sim.control.advance(2 * HOUR);
      await handle.signal(pollNowSignal);
      await waiting(handle, 2);
      await handle.terminate('recorded');
      recordHistory('source-stopped', first.workflowId, first.runId);
      recordHistory('source-started-after-stop', second.workflowId, second.runId);
    });
  });

  it('a rate-limited cycle, the wait Salesforce asked for, then a pollNow after the allowance is back', async () => {
    await withSource('limited', async (h) => {
      const handle = await startSourceWorkflow(t, h);
      await waiting(handle, 1);
      h.sim.control.advance(2 * HOUR);
      h.sim.control.setOrg({ apiUsed: h.sim.control.stats().apiLimit });
      await handle.signal(pollNowSignal);
      const limited = await waiting(handle, 2);
      expect(limited.lastCycle?.error).toMatch(/REQUEST_LIMIT_EXCEEDED/);
      h.sim.control.setOrg({ apiUsed: 0 });
      await handle.signal(pollNowSignal);
      const after = await waiting(handle, 3);
      expect(after.lastCycle?.error).toBeUndefined();
      await handle.terminate('recorded');
      recordHistory('source-rate-limited', handle.workflowId);
    });
  });

  it('a file gone before download (404): failed for good, the checkpoint moves past it', async () => {
    await withSource('gone', async (h) => {
      const handle = await startSourceWorkflow(t, h);
      await waiting(handle, 1);
      h.sim.control.advance(2 * HOUR);
      const now = Date.parse(h.sim.control.now());
      const gone = h.sim.control.addFile({
        eventType: 'Logout',
        logDate: new Date(Math.floor(now / HOUR - 2) * HOUR).toISOString(),
        interval: 'Hourly',
        rows: 5,
        createdDate: new Date(now - 50 * 60_000).toISOString(),
      });
      h.sim.control.inject({ kind: 'delete-on-download', fileId: gone.id });
      await handle.signal(pollNowSignal);
      const status = await waiting(handle, 2);
      expect(status.failedFiles).toEqual([expect.objectContaining({ fileId: gone.id, permanent: true })]);
      await handle.terminate('recorded');
      recordHistory('source-file-gone', handle.workflowId);
      recordHistory('file-gone', fileWorkflowId(h.sourceId, h.sim.orgId, gone.id));
    });
  });

  it('continue-as-new: the run that hands over and the run that carries on', async () => {
    await withSource('can', async (h) => {
      const handle = await startSourceWorkflow(t, h, { continueAsNewAfterCycles: 1 });
      await waiting(handle, 1);
      const firstRun = (await handle.describe()).runId;
      h.sim.control.advance(2 * HOUR);
      await handle.signal(pollNowSignal);
      await waiting(handle, 2);
      const secondRun = (await handle.describe()).runId;
      expect(secondRun).not.toBe(firstRun);
      await handle.terminate('recorded');
      recordHistory('source-continued-first-run', handle.workflowId, firstRun);
      recordHistory('source-continued-next-run', handle.workflowId, secondRun);
    });
  });

  it('native cron mode: one cycle per run, the state carried by the last result', async () => {
    await withSource('cron', async (h) => {
      const handle = await t.client.workflow.start(salesforceSourceWorkflow, {
        taskQueue: h.taskQueue,
        workflowId: sourceWorkflowId(h.sourceId),
        args: [{ sourceId: h.sourceId }],
        cronSchedule: '* * * * *',
      });
      const firstRun = handle.firstExecutionRunId;
      // Each run closes as "continued as new" and the server creates the next one at once, which starts at the
      // next minute with the closed run's result.
      const closed = async (runId: string): Promise<void> => {
        const run = t.client.workflow.getHandle(handle.workflowId, runId);
        while ((await run.describe()).status.name === 'RUNNING') await new Promise((r) => setTimeout(r, 1000));
      };
      await closed(firstRun);
      const secondRun = (await handle.describe()).runId;
      expect(secondRun).not.toBe(firstRun);
      await closed(secondRun);
      const status = await waitForStatus(handle, (s) => s.cycles >= 2, 120_000);
      expect(status.cycles).toBeGreaterThanOrEqual(2);
      await handle.terminate('recorded');
      recordHistory('source-cron-first-run', handle.workflowId, firstRun);
      recordHistory('source-cron-next-run', handle.workflowId, secondRun);
    });
  }, 300_000);
});
