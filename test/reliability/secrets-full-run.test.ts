/**
 * §4 Secrets, over a full run with each auth type: a worker process ingests a cycle, a backfill runs, a login
 * fails; then everything a person or another system can read is scanned for every secret value: the histories of
 * the source, backfill and every file workflow, their search attributes, memos and Web UI details, the worker
 * process's stdout/stderr, and the CLI's output (status, verify, and verify with wrong secrets).
 */
import path from 'node:path';
import { backfillSignal, pollNowSignal, type SourceStatus } from '../../src/workflows/messages';
import { fileWorkflowId } from '../../src/workflows/ids';
import { runElfstream } from '../helpers/cli';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { plantedBackfill, readableHistoryOf } from '../helpers/histories';
import { readFileSinkEvents } from '../helpers/output';
import {
  createSourceHarness,
  harnessEnv,
  HOUR,
  simulatedStart,
  startSourceWorkflow,
  waitForStatus,
  type AuthType,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { checkOutput, expectedFiles, liveRange, scenario } from './support';

const AUTH_TYPES: AuthType[] = ['password', 'oauth-password', 'client-credentials', 'jwt'];

describe('reliability: secrets over a full run', () => {
  const t = useTestServer();

  scenario(
    {
      id: 'secrets/full-run-every-auth',
      scenario: 'Secrets absent from everything a full run exposes, with every auth type',
      injected:
        'password, OAuth password, client credentials and JWT runs: worker process, a cycle, a backfill, a failed login (permission revoked), CLI status/verify, verify with a wrong secret',
      compares:
        'each secret (password, token, password+token, client secret, wrong secret, every line of the private key) and any session id / Bearer / JWT assertion searched in: source, backfill and all file workflow histories, search attributes, memos, Web UI details, worker stdout/stderr, CLI output; output = ground truth',
    },
    async (facts) => {
      const scanned: Record<string, number> = {};
      for (const auth of AUTH_TYPES) {
        const now = simulatedStart();
        const h = await createSourceHarness(t, {
          sourcePrefix: `sec-${auth}`,
          auth,
          sim: { now, days: 1 },
          settings: { startFrom: new Date(Date.parse(now) - 4 * HOUR).toISOString() },
        });
        const wrongSecret = `wrong-${Math.random().toString(36).slice(2)}`;
        let worker: WorkerProcess | undefined;
        try {
          const env = harnessEnv(h.sim);
          worker = startWorkerProcess(h.configPath, env, path.join(OUTPUT_DIR, `reliability-secrets-${auth}.log`));
          await worker.ready;
          const handle = await startSourceWorkflow(t, h);
          let status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
          expect(status.lastCycle?.error).toBeUndefined();
          checkOutput(h, expectedFiles(h, liveRange(h)));

          await handle.signal(backfillSignal, {
            from: new Date(Date.parse(now) - 6 * HOUR).toISOString(),
            to: new Date(Date.parse(now) - 5 * HOUR).toISOString(),
          });
          status = await waitForStatus(handle, (s) => s.backfills.some((b) => b.state === 'completed'));
          const backfillId = status.backfills[0]!.backfillId;

          h.sim.control.setOrg({ viewEventLogFiles: false });
          await handle.signal(pollNowSignal);
          status = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting');
          expect(status.lastError?.message).toMatch(/View Event Log Files/);
          h.sim.control.setOrg({ viewEventLogFiles: true });

          const cli = async (...args: string[]): Promise<string> => {
            const r = await runElfstream(args, {
              env: { ...env, TEMPORAL_ADDRESS: process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS! },
            });
            return `${r.stdout}\n${r.stderr}`;
          };
          const cliText = [
            await cli('status', h.sourceId, '-c', h.configPath),
            await cli('status', h.sourceId, '-c', h.configPath, '--json'),
            await cli('verify', h.sourceId, '-c', h.configPath),
            // A wrong secret in the error path: it must not be echoed either.
            (
              await runElfstream(['verify', h.sourceId, '-c', h.configPath], {
                env: { ...env, SF_PASSWORD: wrongSecret, SF_CLIENT_SECRET: wrongSecret },
              })
            ).stderr,
          ].join('\n');

          const fileIds = [
            ...new Set(readFileSinkEvents(h.outputDir).map((e) => (e.p_source_file as { id: string }).id)),
          ];
          const ids = [
            handle.workflowId,
            backfillId,
            ...fileIds.map((id) => fileWorkflowId(h.sourceId, h.sim.orgId, id)),
          ];
          // Every payload decoded; a value planted in a signal (only inside a payload) proves the scan sees it.
          const planted = `planted-${Math.random().toString(36).slice(2)}`;
          await handle.signal(backfillSignal, plantedBackfill(planted));
          await waitForStatus(handle, (s) => (s.lastError?.message ?? '').includes(planted));
          const readable = ids.map((id) => readableHistoryOf(id));
          const histories = readable.map((r) => r.text).join('\n');
          expect(histories).toContain(planted);
          facts[`${auth}PayloadsDecoded`] = readable.reduce((n, r) => n + r.payloads, 0);
          const visible: string[] = [];
          for (const id of ids) {
            const d = await t.client.workflow.getHandle(id).describe();
            visible.push(JSON.stringify({ sa: d.searchAttributes, memo: d.memo, summary: d.staticSummary }));
          }
          const meta = await handle.query<unknown>('__temporal_workflow_metadata').catch(() => undefined);
          visible.push(JSON.stringify(meta ?? {}));
          const status2 = await handle.query<SourceStatus>('status');
          visible.push(JSON.stringify(status2));
          await handle.terminate('test done');
          await worker.kill('SIGTERM');
          const logs = worker.output();

          const c = h.sim.credentials;
          const secrets = [
            c.password,
            c.securityToken,
            c.password + c.securityToken,
            c.clientSecret,
            wrongSecret,
            ...c.jwtPrivateKeyPem.split('\n').filter((l) => l && !l.startsWith('-----')),
          ];
          const places: Record<string, string> = {
            histories,
            'search attributes, memos, details, status': visible.join('\n'),
            'worker logs': logs,
            'CLI output': cliText,
          };
          for (const [where, text] of Object.entries(places)) {
            expect(text.length).toBeGreaterThan(0);
            for (const secret of secrets)
              expect({ auth, where, leaks: text.includes(secret) }).toMatchObject({ leaks: false });
            // Salesforce session ids (<orgId15>!A...), bearer headers, JWT assertions (header.payload.signature).
            expect({ auth, where, session: /00D[A-Za-z0-9]{12}!A/.test(text) }).toMatchObject({ session: false });
            expect({ auth, where, bearer: /Bearer /.test(text) }).toMatchObject({ bearer: false });
            expect({ auth, where, jwt: /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]+/.test(text) }).toMatchObject({
              jwt: false,
            });
          }
          scanned[auth] = Object.values(places).reduce((n, s) => n + s.length, 0);
          facts[`${auth}Workflows`] = ids.length;
        } finally {
          await worker?.kill('SIGKILL');
          await h.close();
        }
      }
      facts.bytesScanned = scanned;
    },
    240_000,
  );
});
