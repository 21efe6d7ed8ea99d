/**
 * Secrets stay on the worker: with every auth type, the exported histories of the source workflow and of a file
 * workflow, every payload decoded (inputs, results, heartbeats, signals, search attributes, memo, failure details),
 * hold no password, security token, client secret, private key or Salesforce session id. A value planted in a
 * signal shows the scan reads decoded payloads, not their base64.
 */
import { fileWorkflowId } from '../../src/workflows/ids';
import { backfillSignal } from '../../src/workflows/messages';
import { exportHistory, plantedBackfill, readableHistory } from '../helpers/histories';
import { readFileSinkEvents } from '../helpers/output';
import { createSourceHarness, waitForStatus, type AuthType, startSourceWorkflow } from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

const AUTH_TYPES: AuthType[] = ['password', 'oauth-password', 'client-credentials', 'jwt'];

describe('secrets never enter workflow history', () => {
  const t = useTestServer();

  it.each(AUTH_TYPES)('with %s auth', async (auth) => {
    const h = await createSourceHarness(t, { sourcePrefix: `secrets-${auth}`, auth, sim: { days: 1 } });
    try {
      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h);
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.totals.files).toBeGreaterThan(0);
        // A failing login too: its error message travels through history.
        h.sim.control.setOrg({ viewEventLogFiles: false });
        await handle.signal('pollNow');
        const failed = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting');
        expect(failed.lastError?.message).toMatch(/View Event Log Files/);
        // Self-check: a value that only travels inside payloads (a signal's input).
        const planted = `planted-${Math.random().toString(36).slice(2)}`;
        await handle.signal(backfillSignal, plantedBackfill(planted));
        await waitForStatus(handle, (s) => (s.lastError?.message ?? '').includes(planted));
        await handle.terminate('test done');

        const fileId = (readFileSinkEvents(h.outputDir)[0]!.p_source_file as { id: string }).id;
        const exported = [
          exportHistory(handle.workflowId),
          exportHistory(fileWorkflowId(h.sourceId, h.sim.orgId, fileId)),
        ];
        const readable = exported.map(readableHistory);
        expect(readable.map((r) => r.payloads > 0)).toEqual([true, true]);
        const histories = readable.map((r) => r.text).join('\n');
        expect(histories).toContain(planted);
        expect(exported.join('\n')).not.toContain(planted);
        const c = h.sim.credentials;
        const secrets = [
          c.password,
          c.securityToken,
          c.password + c.securityToken,
          c.clientSecret,
          ...pemBody(c.jwtPrivateKeyPem),
        ];
        for (const secret of secrets) expect(histories).not.toContain(secret);
        // Salesforce session ids look like <orgId15>!AQ...
        expect(histories).not.toMatch(/00D[A-Za-z0-9]{12}!A/);
        expect(histories).not.toMatch(/Bearer /);
      });
    } finally {
      await h.close();
    }
  });
});

/** Lines of a PEM's base64 body: any of them in history would leak part of the key. */
function pemBody(pem: string): string[] {
  return pem.split('\n').filter((l) => l && !l.startsWith('-----'));
}
