/**
 * The CLI with a source that configures `realtime`: `start` starts the real-time workflow beside the source's,
 * `status` shows its per-object cursor and lag (text and JSON), `pause` reaches both, `stop` stops both, and
 * `verify` names the missing permission.
 */
import type { salesforceRealtimeWorkflow } from '../../src/workflows';
import { realtimeWorkflowId } from '../../src/workflows/ids';
import type { RealtimeStatus } from '../../src/workflows/realtime-state';
import { runElfstream, runElfstreamJson } from '../helpers/cli';
import { realtimeHarness, waitForRealtime } from '../helpers/realtime';
import { harnessEnv } from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

jest.setTimeout(240_000);

describe('elfstream CLI: real-time channel', () => {
  const t = useTestServer();

  test('start, status (text and JSON), pause, stop and verify cover the real-time workflow', async () => {
    const h = await realtimeHarness(t, 'rtcli');
    const id = h.sourceId;
    const opts = { env: harnessEnv(h.sim) };
    const cfg = ['--config', h.configPath];
    try {
      const now = Date.parse(h.sim.control.now());
      h.sim.control.addRealtimeRecords('LoginEvent', [
        { time: new Date(now - 120_000).toISOString() },
        { time: new Date(now - 60_000).toISOString() },
      ]);
      await h.withWorker(async () => {
        const start = await runElfstream(['start', id, ...cfg], opts);
        expect(start.code).toBe(0);
        expect(start.stdout).toContain(`${id}: started elfstream-realtime-${id} (LoginEvent, SetupAuditTrail)`);
        const handle = t.client.workflow.getHandle<typeof salesforceRealtimeWorkflow>(realtimeWorkflowId(id));
        await waitForRealtime(handle, (s) => s.cycles >= 1);

        const text = await runElfstream(['status', id, ...cfg], opts);
        expect(text.code).toBe(0);
        expect(text.stdout).toContain('Real-time channel:');
        const loginRow = text.stdout.split('\n').find((l) => l.includes(' LoginEvent '));
        expect(loginRow).toMatch(new RegExp(`^${id}\\s+LoginEvent\\s+\\S.*\\s\\d+ s\\s+2\\s`));

        const { json } = await runElfstreamJson<{ realtime: RealtimeStatus }>(['status', id, ...cfg], opts);
        const login = json.realtime.objects.find((o) => o.object === 'LoginEvent')!;
        expect(json.realtime.channel).toBe('realtime');
        expect(login.written).toBe(2);
        expect(typeof login.cursor).toBe('string');
        expect(login.lagSeconds).toBeGreaterThanOrEqual(0);

        const pause = await runElfstream(['pause', id, ...cfg], opts);
        expect(pause.stdout).toContain(`${id}: pause sent to the real-time channel too`);
        await waitForRealtime(handle, (s) => s.paused);

        const stop = await runElfstream(['stop', id, ...cfg], opts);
        expect(stop.code).toBe(0);
        expect(stop.stdout).toContain(`${id}: real-time channel stopped too`);
        const stopped = await handle.result();
        expect(stopped.progress.LoginEvent?.written).toBe(2);
      });

      const ok = await runElfstream(['verify', id, ...cfg], opts);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/real-time LoginEvent\s+readable/);
      h.sim.control.setOrg({ viewRealTimeEventMonitoringData: false });
      const refused = await runElfstream(['verify', id, ...cfg], opts);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${id}: the real-time channel cannot read LoginEvent:`);
      expect(refused.stderr).toContain("the permission 'View Real-Time Event Monitoring Data'");
    } finally {
      await h.close();
    }
  });
});
