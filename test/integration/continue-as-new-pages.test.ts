/**
 * Bounded at scale: a first cycle longer than one listing page continues-as-new between pages (carrying its listing
 * position), finishes in the next run as one cycle, and ingests every file once; listing inputs carry only the
 * ledger ids the listing can meet.
 */
import { duplicates, readFileSinkEvents } from '../helpers/output';
import {
  createSourceHarness,
  HARNESS_EVENT_TYPES,
  HOUR,
  startSourceWorkflow,
  waitForStatus,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { sourceWorkflowId } from '../../src/workflows/ids';

describe('continue-as-new between listing pages', () => {
  const t = useTestServer();

  it('splits a cycle of more than one page across runs, each file once', async () => {
    const h = await createSourceHarness(t, {
      sourcePrefix: 'pages',
      sim: { days: 4, rowsPerFile: { min: 1, max: 2 } },
    });
    try {
      const startFrom = new Date(Date.parse(h.sim.control.now()) - 72 * HOUR).toISOString();
      h.config.sources[0]!.startFrom = startFrom;
      const expected = h.sim.control
        .listFiles()
        .filter(
          (f) => f.interval === 'Hourly' && HARNESS_EVENT_TYPES.includes(f.eventType) && f.createdDate >= startFrom,
        );
      expect(expected.length).toBeGreaterThan(200); // more than one listing page
      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h, { continueAsNewAfterPages: 1 });
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 300_000);
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.cycles).toBe(1);
        expect(status.lastCycle?.filesListed).toBe(expected.length);
        expect(status.lastCycle?.filesIngested).toBe(expected.length);
      });
      const events = readFileSinkEvents(h.outputDir);
      expect(duplicates(events.map((e) => e.p_row_id))).toEqual([]);
      expect(events.length).toBe(expected.reduce((n, f) => n + f.rows, 0));

      // The first run ended by continue-as-new in the middle of the cycle; every listing input stayed small.
      const runs: string[] = [];
      for await (const r of t.client.workflow.list({ query: `WorkflowId = '${sourceWorkflowId(h.sourceId)}'` }))
        runs.push(r.runId);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      let excluded = 0;
      for (const runId of runs) {
        const history = await t.client.workflow.getHandle(sourceWorkflowId(h.sourceId), runId).fetchHistory();
        for (const e of history.events ?? []) {
          const a = e.activityTaskScheduledEventAttributes;
          if (a?.activityType?.name !== 'listEventLogFiles') continue;
          const input = JSON.parse(Buffer.from(a.input!.payloads![0]!.data!).toString('utf8')) as {
            excludeIds: string[];
          };
          excluded = Math.max(excluded, input.excludeIds.length);
        }
      }
      // Without bounds the last page's listing would carry every file ingested before it.
      expect(excluded).toBeLessThan(expected.length / 2);
      await t.client.workflow.getHandle(sourceWorkflowId(h.sourceId)).terminate('test done');
    } finally {
      await h.close();
    }
  }, 600_000);
});
