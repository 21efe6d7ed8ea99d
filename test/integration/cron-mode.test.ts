/**
 * Native cron mode: started with the `temporal` CLI's `--cron` (as `tctl workflow start --cron` does), the source
 * workflow runs one cycle per run and carries its checkpoint and ledger through the run's result.
 */
import { execFileSync } from 'node:child_process';
import type { SourceState } from '../../src/workflows/source-state';
import { duplicates, readFileSinkEvents } from '../helpers/output';
import { createSourceHarness, HOUR } from '../helpers/source-harness';
import { type TemporalTestContext, useTestServer } from '../helpers/temporal';

describe('salesforceSourceWorkflow started with --cron', () => {
  const t = useTestServer();

  it('runs one cycle per cron run and carries its state through lastResult', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'cron' });
    const workflowId = `elfstream-source-${h.sourceId}`;
    try {
      await h.withWorker(async () => {
        execFileSync(process.env.ELFSTREAM_TEST_TEMPORAL_CLI!, [
          'workflow',
          'start',
          '--address',
          process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS!,
          '--type',
          'salesforceSourceWorkflow',
          '--task-queue',
          h.taskQueue,
          '--workflow-id',
          workflowId,
          '--input',
          JSON.stringify({ sourceId: h.sourceId }),
          '--cron',
          '* * * * *',
        ]);
        const first = await nthCompletedRun(t, workflowId, 1);
        expect(first.cycles).toBe(1);
        expect(first.totals.files).toBeGreaterThan(0);
        expect(first.checkpoint).toBeDefined();
        const afterFirst = readFileSinkEvents(h.outputDir).length;
        expect(afterFirst).toBe(first.totals.rows);

        h.sim.control.advance(3 * HOUR);
        const second = await nthCompletedRun(t, workflowId, 2);
        expect(second.cycles).toBe(2);
        expect(second.lastCycle!.filesAlreadyDone).toBe(0);
        expect(second.lastCycle!.filesIngested).toBeGreaterThan(0);
        expect(second.totals.files).toBe(first.totals.files + second.lastCycle!.filesIngested);
        const events = readFileSinkEvents(h.outputDir);
        expect(events.length).toBe(second.totals.rows);
        expect(duplicates(events.map((e) => e.p_row_id))).toEqual([]);
      });
    } finally {
      await t.client.workflow
        .getHandle(workflowId)
        .terminate('test done')
        .catch(() => undefined);
      await h.close();
    }
  }, 200_000);
});

/** The result of the n-th completed run of a cron workflow (runs end in ContinuedAsNew with their result). */
async function nthCompletedRun(t: TemporalTestContext, workflowId: string, n: number): Promise<SourceState> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const runs = [];
    for await (const w of t.client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
      if (w.status.name !== 'RUNNING') runs.push(w);
    }
    runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
    const run = runs[n - 1];
    if (run) {
      const history = await t.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
      const closing = history.events?.find(
        (e) => e.workflowExecutionContinuedAsNewEventAttributes || e.workflowExecutionCompletedEventAttributes,
      );
      const payload =
        closing?.workflowExecutionContinuedAsNewEventAttributes?.lastCompletionResult?.payloads?.[0] ??
        closing?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
      if (payload?.data) return JSON.parse(Buffer.from(payload.data).toString('utf8')) as SourceState;
    }
    if (Date.now() > deadline) throw new Error(`run ${n} of ${workflowId} did not complete`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
