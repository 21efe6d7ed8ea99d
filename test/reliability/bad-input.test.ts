/**
 * §2 Bad input: each mistake ends in a specific message where a person looks (CLI output, the status query, the
 * worker's log), and nothing ingested before it is lost: after the fix the output equals the ground truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { IngestResult } from '../../src/activities/types';
import { loadConfig } from '../../src/config';
import { backfillSignal, pollNowSignal } from '../../src/workflows/messages';
import { fileWorkflowId } from '../../src/workflows/ids';
import { runElfstream } from '../helpers/cli';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { readFileSinkEvents } from '../helpers/output';
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
import { checkOutput, expectedFiles, expectExactlyOnce, liveRange, scenario } from './support';

describe('reliability: bad input', () => {
  const t = useTestServer();

  scenario(
    {
      id: 'bad-input/config-and-credentials-cli',
      scenario: 'Invalid configuration and bad credentials, seen through the CLI',
      injected:
        'SOAP (password) auth on API 65.0; an unknown event type and a misspelt interval in the YAML; wrong password; missing security token; user without View Event Log Files; Event Monitoring disabled',
      compares:
        'exit code and the exact message on stderr (config errors equal the loader message; login errors name the cause and the fix); no secret on stdout/stderr',
    },
    async (facts) => {
      const h = await createSourceHarness(t, { sourcePrefix: 'badcli', sim: { days: 1 } });
      try {
        const env = harnessEnv(h.sim);
        const yaml = fs.readFileSync(h.configPath, 'utf8');
        const variant = (name: string, edit: (y: string) => string): string => {
          const p = path.join(h.tmpDir, `${name}.yaml`);
          fs.writeFileSync(p, edit(yaml));
          return p;
        };
        const verify = (configPath: string, extraEnv: Record<string, string> = {}) =>
          runElfstream(['verify', h.sourceId, '-c', configPath], { env: { ...env, ...extraEnv } });
        const loaderMessage = (p: string): string => {
          try {
            loadConfig({ path: p, env });
          } catch (err) {
            return (err as Error).message;
          }
          throw new Error(`${p} loaded without error`);
        };
        const messages: Record<string, string> = {};

        // Configuration errors: exit 2, the loader's message exactly.
        const configCases: [string, (y: string) => string, RegExp][] = [
          [
            'soap-api-65',
            (y) => y.replace('apiVersion: "62.0"', 'apiVersion: "65.0"'),
            /SOAP login\(\) is not available from API version 65.0; use "auto" \(which picks at most 64.0 for password auth\) or 64.0, or client-credentials or jwt auth/,
          ],
          [
            'unknown-event-type',
            (y) => y.replace('eventTypes: [Login, LoginAs, Logout, URI]', 'eventTypes: [Login, Log-In-As]'),
            /"Log-In-As" is not an EventLogFile event type/,
          ],
          ['bad-interval', (y) => y.replace('interval: Hourly', 'interval: Hourlyy'), /interval/],
        ];
        for (const [name, edit, pattern] of configCases) {
          const p = variant(name, edit);
          const expected = loaderMessage(p);
          expect(expected).toMatch(pattern);
          const r = await verify(p);
          expect({ name, code: r.code }).toEqual({ name, code: 2 });
          expect(r.stderr).toBe(`error: ${expected}\n`);
          messages[name] = expected.split('\n').slice(-1)[0]!;
        }

        // Login errors: exit 1, a message that names the cause.
        const wrong = await verify(h.configPath, { SF_PASSWORD: 'not-the-password' });
        expect(wrong.code).toBe(1);
        expect(wrong.stderr).toMatch(/INVALID_LOGIN/);
        messages['wrong-password'] = wrong.stderr.trim();
        const noToken = await verify(variant('no-token', (y) => y.replace(/\n\s+securityToken: .*\n/, '\n')));
        expect(noToken.code).toBe(1);
        expect(noToken.stderr).toMatch(/security token/i);
        messages['missing-token'] = noToken.stderr.trim();
        h.sim.control.setOrg({ viewEventLogFiles: false });
        const noPerm = await verify(h.configPath);
        expect(noPerm.code).toBe(1);
        expect(noPerm.stderr).toMatch(/View Event Log Files/);
        messages['no-view-event-log-files'] = noPerm.stderr.trim();
        h.sim.control.setOrg({ viewEventLogFiles: true, eventMonitoringEnabled: false });
        const noEm = await verify(h.configPath);
        expect(noEm.code).toBe(1);
        expect(noEm.stderr).toMatch(/Event Monitoring/);
        messages['event-monitoring-disabled'] = noEm.stderr.trim();
        h.sim.control.setOrg({ eventMonitoringEnabled: true });
        const ok = await verify(h.configPath);
        expect(ok.code).toBe(0);

        const all = [wrong, noToken, noPerm, noEm, ok].map((r) => r.stdout + r.stderr).join('\n');
        for (const secret of [h.sim.credentials.password, h.sim.credentials.securityToken, 'not-the-password'])
          expect(all).not.toContain(secret);
        facts.messages = messages;
      } finally {
        await h.close();
      }
    },
  );

  scenario(
    {
      id: 'bad-input/credentials-broken-then-fixed',
      scenario: 'Credentials and permissions broken on a running source, then fixed',
      injected:
        'after a good cycle: a worker with a wrong password; then a worker without the security token; then View Event Log Files revoked; then Event Monitoring disabled; invalid backfill signals (non-object, bad dates); then everything fixed',
      compares:
        'each failure named in status.lastError / lastCycle.error, the Web UI current details and the worker log; the source stays alive; nothing written while broken; after the fix, per-file row counts = ground truth, no duplicate p_row_id',
    },
    async (facts) => {
      const now = simulatedStart();
      const h = await createSourceHarness(t, {
        sourcePrefix: 'badcreds',
        sim: { now, days: 1 },
        settings: { startFrom: new Date(Date.parse(now) - 10 * HOUR).toISOString() },
      });
      const log = path.join(OUTPUT_DIR, `reliability-badcreds-${h.sourceId}.log`);
      const noTokenConfig = path.join(h.tmpDir, 'no-token.yaml');
      fs.writeFileSync(noTokenConfig, fs.readFileSync(h.configPath, 'utf8').replace(/\n\s+securityToken: .*\n/, '\n'));
      let worker: WorkerProcess | undefined;
      const runWorker = async (env: Record<string, string>, configPath = h.configPath): Promise<WorkerProcess> => {
        await worker?.kill('SIGKILL');
        worker = startWorkerProcess(configPath, { ...harnessEnv(h.sim), ...env }, log);
        await worker.ready;
        return worker;
      };
      try {
        await runWorker({});
        const handle = await startSourceWorkflow(t, h);
        let cycles = 1;
        let status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        expect(status.lastCycle?.error).toBeUndefined();
        const firstRows = checkOutput(h, expectedFiles(h, liveRange(h))).rows;
        const messages: Record<string, string> = {};

        const breakAndCheck = async (name: string, pattern: RegExp, logPattern: RegExp): Promise<void> => {
          h.sim.control.advance(HOUR);
          await handle.signal(pollNowSignal);
          cycles += 1;
          status = await waitForStatus(handle, (s) => s.cycles >= cycles && s.state === 'waiting', 60_000);
          expect({ name, error: status.lastCycle?.error }).toEqual({ name, error: expect.stringMatching(pattern) });
          expect(status.lastError?.message).toMatch(pattern);
          messages[name] = status.lastError!.message;
          // The Web UI shows the same message in the workflow's current details.
          const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
          expect(meta.currentDetails).toContain(status.lastError!.message);
          // Nothing new, nothing lost.
          expect(readFileSinkEvents(h.outputDir)).toHaveLength(firstRows);
          expect(worker!.output()).toMatch(logPattern);
        };

        await runWorker({ SF_PASSWORD: 'not-the-password' });
        await breakAndCheck('wrong-password', /INVALID_LOGIN/, /INVALID_LOGIN/);
        await runWorker({}, noTokenConfig);
        await breakAndCheck('missing-token', /security token/i, /security token/i);
        await runWorker({});
        h.sim.control.setOrg({ viewEventLogFiles: false });
        await breakAndCheck('no-view-event-log-files', /View Event Log Files/, /View Event Log Files/);
        h.sim.control.setOrg({ viewEventLogFiles: true, eventMonitoringEnabled: false });
        await breakAndCheck('event-monitoring-disabled', /Event Monitoring/, /Event Monitoring/);
        h.sim.control.setOrg({ eventMonitoringEnabled: true });

        // Invalid signal arguments are refused into status.lastError; the workflow task does not get stuck.
        await handle.signal(backfillSignal, 'last week' as never);
        await waitForStatus(handle, (s) => /backfill rejected: backfill needs/.test(s.lastError?.message ?? ''));
        await handle.signal(backfillSignal, { from: 'yesterday', to: now });
        status = await waitForStatus(handle, (s) =>
          /backfill rejected: backfill "from" must be an ISO-8601 instant, got "yesterday"/.test(
            s.lastError?.message ?? '',
          ),
        );
        messages['invalid-backfill-signal'] = status.lastError!.message;

        // Fixed: the next cycle catches up on everything, nothing twice.
        h.sim.control.advance(HOUR);
        await handle.signal(pollNowSignal);
        cycles += 1;
        status = await waitForStatus(handle, (s) => s.cycles >= cycles && s.state === 'waiting', 60_000);
        expect(status.lastCycle?.error).toBeUndefined();
        Object.assign(facts, checkOutput(h, expectedFiles(h, liveRange(h))));
        expect(facts.rows as number).toBeGreaterThan(firstRows);
        facts.messages = messages;
        const logText = worker!.output();
        for (const secret of [h.sim.credentials.password, h.sim.credentials.securityToken, 'not-the-password'])
          expect(logText).not.toContain(secret);
        await handle.terminate('test done');
      } finally {
        await worker?.kill('SIGKILL');
        await h.close();
      }
    },
    180_000,
  );

  scenario(
    {
      id: 'bad-input/malformed-csv',
      scenario: 'Malformed CSV rows and a header that differs from LogFileFieldNames',
      injected:
        'a Login file with an unterminated quote, a short row and a long row among good rows; a URI file whose header adds a column and reorders the others against LogFileFieldNames',
      compares:
        'every CSV row is one event (bad ones with p_parse_error naming the problem); malformedRows in the file workflow result and status totals; the reordered file parsed by its header (values under the right names), the new column reported in unknownColumns; counts = ground truth, no duplicate p_row_id',
    },
    async (facts) => {
      const now = simulatedStart();
      const h = await createSourceHarness(t, {
        sourcePrefix: 'badcsv',
        sim: { now, days: 1, rowsPerFile: { min: 5, max: 10 } },
        settings: { startFrom: new Date(Date.parse(now) - 6 * HOUR).toISOString() },
      });
      try {
        const base = Date.parse(now);
        // Records of a generated file (parsed: values may hold quotes and newlines), re-serialized as needed.
        const sample = async (type: string): Promise<string[][]> => {
          const f = h.sim.control.listFiles().find((x) => x.eventType === type && x.interval === 'Hourly')!;
          return parseCsv(await readAll(h.sim.control.fileCsv(f.id))) as string[][];
        };
        const line = (values: string[]): string => values.map((v) => `"${v.replace(/"/g, '""')}"`).join(',');
        const [loginHeader, ...loginRows] = await sample('Login');
        const good = loginRows.slice(0, 2).map(line);
        const cols = loginHeader!.length;
        const malformedCsv = [
          line(loginHeader!),
          good[0],
          // A short row and a long row.
          '"a","b"',
          good[1] + ',"extra"',
          good[0],
          // An unterminated quote swallows the rest of the file.
          '"' + 'x,'.repeat(cols - 1) + 'y',
        ].join('\n');
        const bad = h.sim.control.addFile({
          eventType: 'Login',
          logDate: new Date(Math.floor(base / HOUR - 2) * HOUR).toISOString(),
          interval: 'Hourly',
          createdDate: new Date(base - 30 * 60_000).toISOString(),
          csv: malformedCsv + '\n',
        });
        const [names, ...uriRecords] = await sample('URI');
        const uriRows = uriRecords.slice(0, 3);
        const order = [...names!.keys()].reverse();
        const reordered = [
          line([...order.map((i) => names![i]!), 'NEW_FIELD']),
          ...uriRows.map((r) => line([...order.map((i) => r[i]!), 'nv'])),
        ].join('\n');
        const differ = h.sim.control.addFile({
          eventType: 'URI',
          logDate: new Date(Math.floor(base / HOUR - 2) * HOUR).toISOString(),
          interval: 'Hourly',
          createdDate: new Date(base - 25 * 60_000).toISOString(),
          csv: reordered + '\n',
          fieldNames: names!.join(','),
        });
        expect(h.sim.control.listFiles().find((f) => f.id === differ.id)!.rows).toBe(3);

        await h.withWorker(async () => {
          const handle = await startSourceWorkflow(t, h);
          const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
          expect(status.lastCycle?.error).toBeUndefined();
          expect(status.failedFiles).toEqual([]);
          const r = (await t.client.workflow
            .getHandle(fileWorkflowId(h.sourceId, h.sim.orgId, bad.id))
            .result()) as IngestResult;
          const r2 = (await t.client.workflow
            .getHandle(fileWorkflowId(h.sourceId, h.sim.orgId, differ.id))
            .result()) as IngestResult;
          const events = readFileSinkEvents(h.outputDir);
          const ofBad = events.filter((e) => (e.p_source_file as { id: string }).id === bad.id);
          const broken = ofBad.filter((e) => e.p_parse_error !== undefined);
          expect(ofBad).toHaveLength(r.rows);
          expect(r.malformedRows).toBe(broken.length);
          expect(broken.length).toBeGreaterThanOrEqual(3);
          expect(status.totals.malformedRows).toBe(r.malformedRows);
          expect(broken.map((e) => String(e.p_parse_error)).join('\n')).toMatch(/columns/);
          expect(broken.map((e) => String(e.p_parse_error)).join('\n')).toMatch(/quote/i);
          facts.malformedRows = r.malformedRows;
          facts.parseErrors = [...new Set(broken.map((e) => String(e.p_parse_error)))];

          expect(r2.rows).toBe(3);
          expect(r2.malformedRows).toBe(0);
          expect(r2.unknownColumns).toContain('NEW_FIELD');
          facts.unknownColumns = r2.unknownColumns;
          const ofDiffer = events.filter((e) => (e.p_source_file as { id: string }).id === differ.id);
          const uriIndex = names!.indexOf('URI');
          const expectedUris = uriRows.map((r) => r[uriIndex]!);
          expect(ofDiffer.map((e) => e.URI).sort()).toEqual(expectedUris.sort());

          // Ground truth: the simulator counts the malformed file's rows its own way; the output has one event per
          // CSV record, so compare the other files exactly and the malformed one against the result.
          const expected = expectedFiles(h, liveRange(h), { exclude: [bad.id] });
          const rest = events.filter((e) => (e.p_source_file as { id: string }).id !== bad.id);
          Object.assign(facts, expectExactlyOnce(rest, expected));
          await handle.terminate('test done');
        });
      } finally {
        await h.close();
      }
    },
  );
});

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts).toString('utf8');
}
