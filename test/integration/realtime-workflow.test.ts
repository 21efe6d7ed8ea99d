/**
 * The real-time workflow against a real Temporal server and the simulator (on the wall clock): storage events with
 * ties on EventDate and an event that becomes queryable late, inside the overlap window, and Setup Audit Trail
 * entries, each written exactly once across polls that re-read the overlap; pause, status and a refused permission.
 */
import { salesforceRealtimeWorkflow } from '../../src/workflows';
import { realtimeWorkflowId } from '../../src/workflows/ids';
import { backfillSignal, pauseSignal, pollNowSignal, resumeSignal } from '../../src/workflows/messages';
import { readFileSinkEvents, type OutputEvent } from '../helpers/output';
import { realtimeHarness, waitForRealtime } from '../helpers/realtime';
import { useTestServer } from '../helpers/temporal';

jest.setTimeout(240_000);

const byType = (events: OutputEvent[], type: string): OutputEvent[] => events.filter((e) => e.p_log_type === type);

describe('real-time workflow', () => {
  const t = useTestServer();

  test('ties and late-visible events inside the overlap window, and the audit trail, exactly once', async () => {
    const h = await realtimeHarness(t, 'rt');
    try {
      const now = Date.parse(h.sim.control.now());
      const at = (ms: number): string => new Date(now + ms).toISOString();
      const events = h.sim.control.addRealtimeRecords('LoginEvent', [
        { time: at(-600_000) },
        { time: at(-180_000) },
        { time: at(-180_000) },
        // EventDate before the first read, queryable only ~12 s after it: the next read's overlap finds it.
        { time: at(-20_000), visibleAfterMs: 32_000 },
      ]);
      const trail = h.sim.control.addRealtimeRecords('SetupAuditTrail', [
        { time: at(-300_000) },
        { time: at(-60_000) },
        { time: at(-60_000) },
      ]);
      await h.withWorker(async () => {
        const handle = await t.client.workflow.start(salesforceRealtimeWorkflow, {
          taskQueue: h.taskQueue,
          workflowId: realtimeWorkflowId(h.sourceId),
          args: [{ sourceId: h.sourceId }],
        });
        let s = await waitForRealtime(handle, (x) => x.cycles >= 1);
        let out = readFileSinkEvents(h.outputDir);
        expect(
          byType(out, 'Salesforce.LoginEvent')
            .map((e) => e.EventIdentifier)
            .sort(),
        ).toEqual(
          events
            .slice(0, 3)
            .map((e) => e.values.EventIdentifier)
            .sort(),
        );
        expect(
          byType(out, 'Salesforce.SetupAuditTrail')
            .map((e) => e.Id)
            .sort(),
        ).toEqual(trail.map((e) => e.values.Id).sort());
        const login = s.objects.find((o) => o.object === 'LoginEvent')!;
        expect(login.written).toBe(3);
        expect(login.cursor).toBeDefined();
        expect(login.lagSeconds).toBeGreaterThanOrEqual(0);

        // Once the late event is queryable, a poll writes it, and only it.
        const visibleAt = Date.parse(h.sim.control.listRealtimeRecords('LoginEvent').at(-1)!.visibleAt);
        await new Promise((r) => setTimeout(r, Math.max(0, visibleAt - Date.parse(h.sim.control.now()) + 1500)));
        await handle.signal(pollNowSignal);
        s = await waitForRealtime(handle, (x) => x.cycles >= 2);
        // A third poll re-reads the overlap window and finds nothing new.
        await handle.signal(pollNowSignal);
        s = await waitForRealtime(handle, (x) => x.cycles >= 3);
        out = readFileSinkEvents(h.outputDir);
        const logins = byType(out, 'Salesforce.LoginEvent');
        expect(logins.map((e) => e.EventIdentifier).sort()).toEqual(events.map((e) => e.values.EventIdentifier).sort());
        expect(byType(out, 'Salesforce.SetupAuditTrail')).toHaveLength(3);
        expect(new Set(out.map((e) => e.p_row_id)).size).toBe(out.length);
        for (const e of logins) {
          const truth = events.find((x) => x.values.EventIdentifier === e.EventIdentifier)!;
          expect(e.p_event_time).toBe(truth.time);
          expect(e.EventDate).toBe(truth.time);
          expect(e.p_any_ip_addresses).toEqual([truth.values.SourceIp]);
          expect(e.p_any_usernames).toEqual([truth.values.Username]);
          expect(e.p_source_id).toBe(h.sourceId);
        }
        expect(s.objects.find((o) => o.object === 'LoginEvent')!.written).toBe(4);

        // Pause holds the channel; a refused permission shows on the object with what to grant.
        await handle.signal(pauseSignal);
        s = await waitForRealtime(handle, (x) => x.paused && x.state === 'paused');
        h.sim.control.setOrg({ viewRealTimeEventMonitoringData: false });
        await handle.signal(resumeSignal);
        await handle.signal(pollNowSignal);
        s = await waitForRealtime(handle, (x) => x.cycles >= 4);
        expect(s.objects.find((o) => o.object === 'LoginEvent')!.error).toMatch(/View Real-Time Event Monitoring Data/);
        expect(s.objects.find((o) => o.object === 'SetupAuditTrail')!.error).toBeUndefined();
        await handle.cancel();
        const final = await handle.result();
        expect(Object.keys(final.cursors).sort()).toEqual(['LoginEvent', 'SetupAuditTrail']);
      });
    } finally {
      await h.close();
    }
  });

  test('a backfill reads a range before the live start once, and a repeated or overlapping one is refused', async () => {
    const h = await realtimeHarness(t, 'rtback');
    try {
      const now = Date.parse(h.sim.control.now());
      const at = (ms: number): string => new Date(now + ms).toISOString();
      const old = h.sim.control.addRealtimeRecords('LoginEvent', [
        { time: at(-100 * 60_000) },
        { time: at(-80 * 60_000) },
      ]);
      const live = h.sim.control.addRealtimeRecords('LoginEvent', [{ time: at(-10 * 60_000) }]);
      await h.withWorker(async () => {
        const handle = await t.client.workflow.start(salesforceRealtimeWorkflow, {
          taskQueue: h.taskQueue,
          workflowId: realtimeWorkflowId(h.sourceId),
          args: [{ sourceId: h.sourceId }],
        });
        const first = await waitForRealtime(handle, (x) => x.cycles >= 1);
        expect(byType(readFileSinkEvents(h.outputDir), 'Salesforce.LoginEvent')).toHaveLength(1);
        const startedFrom = first.startedFrom!;
        const range = { from: at(-120 * 60_000), to: startedFrom, eventTypes: ['LoginEvent'] };
        await handle.signal(backfillSignal, range);
        const done = await waitForRealtime(handle, (x) => x.backfills.some((b) => b.state === 'completed'));
        expect(done.backfills[0]).toMatchObject({ state: 'completed', written: 2, objects: ['LoginEvent'] });

        await handle.signal(backfillSignal, range);
        let s = await waitForRealtime(handle, (x) => x.lastError !== undefined);
        expect(s.lastError!.message).toMatch(/^backfill rejected: backfill .* overlaps backfill .* \(completed\)$/);
        await handle.signal(backfillSignal, { from: at(-30 * 60_000), to: at(-5 * 60_000) });
        s = await waitForRealtime(handle, (x) => /collected already/.test(x.lastError?.message ?? ''));
        expect(s.backfills).toHaveLength(1);

        const ids = byType(readFileSinkEvents(h.outputDir), 'Salesforce.LoginEvent').map((e) => e.EventIdentifier);
        expect(ids.sort()).toEqual([...old, ...live].map((e) => e.values.EventIdentifier).sort());
        await handle.cancel();
      });
    } finally {
      await h.close();
    }
  });
});
