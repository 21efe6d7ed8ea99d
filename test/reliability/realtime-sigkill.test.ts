/**
 * The real-time channel with its worker process SIGKILLed while it writes a backlog of storage events and audit
 * trail entries (several narrowed EventDate windows, chunks being committed), a new worker process after each kill:
 * every record ends up in the output exactly once, with no temporary file left behind.
 */
import { salesforceRealtimeWorkflow } from '../../src/workflows';
import { realtimeWorkflowId } from '../../src/workflows/ids';
import { realtimeStatusQuery } from '../../src/workflows/realtime-state';
import { readFileSinkEvents, walk } from '../helpers/output';
import { createSourceHarness, harnessEnv } from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { sleep, strayTempFiles, until } from './support';

jest.setTimeout(300_000);

const EVENTS = 9000;
const TRAIL = 1200;
const KILLS = 2;

describe('reliability: real-time channel across worker SIGKILLs', () => {
  const t = useTestServer();

  test('every storage event and audit trail entry exactly once', async () => {
    const h = await createSourceHarness(t, {
      sourcePrefix: 'rtkill',
      sim: { now: new Date().toISOString(), clock: 'real', days: 1 },
      settings: { eventTypes: '[URI]', startFrom: '-1h', chunkRows: '1000' },
      source: ['    realtime:', '      objects: [LoginEvent, SetupAuditTrail]', '      schedule: "* * * * *"'].join(
        '\n',
      ),
    });
    const workers: WorkerProcess[] = [];
    try {
      const now = Date.parse(h.sim.control.now());
      // A backlog over the last 50 minutes, one pair in ten tied on EventDate.
      const events = h.sim.control.addRealtimeRecords(
        'LoginEvent',
        Array.from({ length: EVENTS }, (_, i) => ({
          time: new Date(now - 3000_000 + Math.floor(i / 2) * 600 + (i % 20 === 1 ? -600 : 0)).toISOString(),
        })),
      );
      const trail = h.sim.control.addRealtimeRecords(
        'SetupAuditTrail',
        Array.from({ length: TRAIL }, (_, i) => ({ time: new Date(now - 3000_000 + i * 2000).toISOString() })),
      );
      const partFiles = (): number => walk(h.outputDir).filter((p) => /part-\d+\.ndjson\.gz$/.test(p)).length;
      let worker = startWorkerProcess(h.configPath, harnessEnv(h.sim));
      workers.push(worker);
      await worker.ready;
      const handle = await t.client.workflow.start(salesforceRealtimeWorkflow, {
        taskQueue: h.taskQueue,
        workflowId: realtimeWorkflowId(h.sourceId),
        args: [{ sourceId: h.sourceId }],
      });
      for (let k = 0; k < KILLS; k++) {
        const before = partFiles();
        // Kill as soon as the worker has written more: it is in the middle of the backlog.
        await until(() => partFiles() > before, 'more output before a kill', 120_000);
        await worker.kill('SIGKILL');
        worker = startWorkerProcess(h.configPath, harnessEnv(h.sim));
        workers.push(worker);
        await worker.ready;
      }
      await until(
        async () => {
          const s = await handle.query(realtimeStatusQuery).catch(() => undefined);
          return (
            s !== undefined &&
            s.objects.length === 2 &&
            s.objects.every((o) => o.cursor !== undefined && o.lagSeconds !== undefined && o.lagSeconds < 600)
          );
        },
        'both objects caught up',
        180_000,
      );
      await sleep(500);
      const out = readFileSinkEvents(h.outputDir);
      const logins = out
        .filter((e) => e.p_log_type === 'Salesforce.LoginEvent')
        .map((e) => e.EventIdentifier as string);
      const audits = out.filter((e) => e.p_log_type === 'Salesforce.SetupAuditTrail').map((e) => e.Id as string);
      expect(logins).toHaveLength(EVENTS);
      expect(new Set(logins)).toEqual(new Set(events.map((e) => e.values.EventIdentifier)));
      expect(audits).toHaveLength(TRAIL);
      expect(new Set(audits)).toEqual(new Set(trail.map((e) => e.values.Id)));
      expect(new Set(out.map((e) => e.p_row_id)).size).toBe(out.length);
      expect(strayTempFiles(h.outputDir)).toEqual([]);
      await handle.cancel();
    } finally {
      for (const w of workers) await w.kill('SIGKILL');
      await h.close();
    }
  });
});
