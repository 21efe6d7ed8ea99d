/**
 * The `elfstream` command end to end: each test runs it as a child process against the harness's Temporal dev
 * server and a simulator started here, with a worker running in this process so sources make progress.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { stringify } from 'yaml';
import { ConfigError, loadConfig } from '../../src/config';
import { startSimulator } from '@elfstream/salesforce-simulator';
import type { Simulator } from '@elfstream/salesforce-simulator';
import type { LogSink } from '../../src/sinks/types';
import { freePort } from '../../src/temporal/dev-server';
import { createElfstreamWorker } from '../../src/worker';
import { backfillWorkflowId, sourceWorkflowId } from '../../src/workflows/ids';
import type { SourceStatus } from '../../src/workflows/messages';
import { eventually, runElfstream, runElfstreamJson } from '../helpers/cli';
import {
  connectToTestServer,
  temporalAddress,
  uniqueTaskQueue,
  workflowBundlePath,
  type TemporalTestContext,
} from '../helpers/temporal';

const HOUR = 3_600_000;

let tmp: string;
let sim: Simulator;
let t: TemporalTestContext;
let worker: Worker;
let sink: LogSink;
let running: Promise<void>;
let configPath: string;
let badPasswordConfigPath: string;
const sourceId = `cli-${process.pid}-${Date.now().toString(36)}`;
const taskQueue = uniqueTaskQueue('cli');

function writeConfig(file: string, password: string): void {
  const document = {
    temporal: { address: temporalAddress(), namespace: 'default', taskQueue },
    output: { type: 'file', dir: path.join(tmp, 'events'), gzip: false },
    sources: [
      {
        id: sourceId,
        label: 'CLI test org',
        salesforce: {
          loginUrl: sim.url,
          auth: {
            type: 'password',
            username: sim.credentials.username,
            password,
            securityToken: sim.credentials.securityToken,
          },
        },
        // Few files per cycle keep the test quick: one event type, six hours back.
        eventTypes: ['Login'],
        startFrom: '-6h',
      },
    ],
  };
  fs.writeFileSync(file, stringify(document));
}

const cli = (...args: string[]) => runElfstream([...args]);
const statusOf = async (): Promise<SourceStatus> =>
  (await runElfstreamJson<SourceStatus>(['status', sourceId, '-c', configPath])).json;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-cli-'));
  sim = await startSimulator({ days: 3, seed: 7 });
  configPath = path.join(tmp, 'elfstream.yaml');
  badPasswordConfigPath = path.join(tmp, 'bad-password.yaml');
  writeConfig(configPath, sim.credentials.password);
  writeConfig(badPasswordConfigPath, 'not-the-password');
  t = await connectToTestServer();
  const config = loadConfig({ path: configPath, env: {} });
  ({ worker, sink } = await createElfstreamWorker({
    config,
    connection: t.nativeConnection,
    client: t.client,
    workflowBundlePath: workflowBundlePath(),
    taskQueue,
    identity: `elfstream-cli-test@${process.pid}`,
  }));
  running = worker.run();
});

afterAll(async () => {
  await t?.client.workflow
    .getHandle(sourceWorkflowId(sourceId))
    .terminate('test done')
    .catch(() => undefined);
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => undefined);
  await sink?.close();
  await t?.close();
  await sim?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('elfstream CLI', () => {
  it('--help lists every command and the exit codes (through bin/elfstream.js)', async () => {
    const r = await runElfstream(['--help'], { via: 'bin' });
    expect(r.code).toBe(0);
    for (const cmd of [
      'dev',
      'worker',
      'sim',
      'setup',
      'verify',
      'start',
      'status',
      'backfill',
      'pause',
      'resume',
      'poll',
      'stop',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    }
    expect(r.stdout).toContain('Exit codes:');
    expect(r.stdout).toContain('3  Temporal server unreachable');

    const sub = await cli('backfill', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('--from <iso>');
    expect(sub.stdout).toContain('--wait');
    expect(sub.stdout).toContain('Exit codes:');
  });

  it('exits 2 on a usage error', async () => {
    const r = await cli('status', '--bogus', '-c', configPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");

    const none = await cli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: elfstream');
  });

  it('exits 2 with the configuration error message, exactly, for a bad configuration', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, 'temporl:\n  address: 127.0.0.1:7233\nsources: []\n');
    let expected = '';
    try {
      loadConfig({ path: bad, env: {} });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expected = (err as Error).message;
    }
    expect(expected).not.toBe('');
    const r = await cli('status', '-c', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: ${expected}\n`);

    const missing = await runElfstream(['start'], { env: { ELFSTREAM_CONFIG: path.join(tmp, 'nope.yaml') } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });

  it('exits 4 for an unknown source, naming the configured ones', async () => {
    for (const args of [
      ['pause', 'nope'],
      ['status', 'nope'],
      ['start', sourceId, 'nope'],
      ['verify', 'nope'],
    ]) {
      const r = await cli(...args, '-c', configPath);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('unknown source');
      expect(r.stderr).toContain(sourceId);
    }
  });

  it('exits 3 quickly when the Temporal server cannot be reached', async () => {
    const port = await freePort();
    const r = await runElfstream(['status', '-c', configPath], { env: { TEMPORAL_ADDRESS: `127.0.0.1:${port}` } });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot reach the Temporal server at 127.0.0.1:${port}`);
    expect(r.durationMs).toBeLessThan(15_000);
  });

  it('verify logs in and shows the org; a wrong password exits 1 with the actionable message', async () => {
    const ok = await cli('verify', sourceId, '-c', configPath);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('login OK');
    expect(ok.stdout).toContain(sim.orgId);
    expect(ok.stdout).toContain(sim.username);
    expect(ok.stdout).toMatch(/API usage\s+\S/);
    expect(ok.stdout).toMatch(/hourly files\s+available/);

    const bad = await cli('verify', sourceId, '-c', badPasswordConfigPath);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('INVALID_LOGIN');
    expect(bad.stderr).toContain('check the username, the password');
    expect(bad.stderr).not.toContain('not-the-password');
    expect(bad.stdout).toBe('');
  });

  it('status of a source that was never started exits 4', async () => {
    const r = await cli('status', sourceId, '-c', configPath);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('not running');
    expect(r.stderr).toContain(`elfstream start ${sourceId}`);
  });

  it('start starts the source, and a second start leaves it running as it is', async () => {
    const first = await cli('start', '-c', configPath);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`${sourceId}: started ${sourceWorkflowId(sourceId)}`);
    const second = await cli('start', sourceId, '-c', configPath);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`${sourceId}: already running`);

    const d = await t.client.workflow.getHandle(sourceWorkflowId(sourceId)).describe();
    expect(d.status.name).toBe('RUNNING');
    expect(d.taskQueue).toBe(taskQueue);
  });

  it('status shows the source as a table and as JSON once files are ingested', async () => {
    const s = await eventually('the first files to be ingested', async () => {
      const st = await statusOf();
      return st.totals.files > 0 && st.state === 'waiting' ? st : undefined;
    });
    expect(s.sourceId).toBe(sourceId);
    expect(s.orgId).toBe(sim.orgId);
    expect(s.totals.rows).toBeGreaterThan(0);

    const table = await cli('status', '-c', configPath);
    expect(table.code).toBe(0);
    const [header, row] = table.stdout.split('\n');
    expect(header).toMatch(/^SOURCE\s+STATE\s+HEALTH\s+CHECKPOINT\s+FILES\s+EVENTS\s+NEXT RUN$/);
    expect(row).toMatch(
      new RegExp(
        `^${sourceId}\\s+waiting\\s+ok since [\\d:Z -]+?\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+${s.totals.files}\\s`,
      ),
    );

    const all = await runElfstreamJson<SourceStatus[]>(['status', '-c', configPath]);
    expect(all.run.code).toBe(0);
    expect(all.json).toHaveLength(1);
    expect(all.json[0]?.sourceId).toBe(sourceId);
  });

  it('pause, poll (refused while paused), resume and poll', async () => {
    const paused = await cli('pause', sourceId, '-c', configPath);
    expect(paused.code).toBe(0);
    await eventually('the source to be paused', async () => ((await statusOf()).paused ? true : undefined));

    const refused = await cli('poll', sourceId, '-c', configPath);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is paused');

    const resumed = await cli('resume', sourceId, '-c', configPath);
    expect(resumed.code).toBe(0);
    await eventually('the source to resume', async () => ((await statusOf()).paused ? undefined : true));

    const before = (await statusOf()).cycles;
    const polled = await cli('poll', sourceId, '-c', configPath);
    expect(polled.code).toBe(0);
    expect(polled.stdout).toContain('pollNow sent');
    await eventually('a new cycle', async () => ((await statusOf()).cycles > before ? true : undefined));
  });

  it('backfill refuses invalid arguments with exit 2 before contacting anything', async () => {
    const cases: [string[], string][] = [
      [['--from', '2026-01-02', '--to', '2026-01-01'], 'must be before'],
      [['--from', 'yesterday', '--to', '2026-01-01'], '--from must be an ISO-8601 date or instant'],
      [['--from', '2026-01-01T00:00:00', '--to', '2026-01-02T00:00:00Z'], 'add the zone'],
      [
        ['--from', isoHoursAgo(30), '--to', isoHoursAgo(29), '--types', 'Login,login'],
        '"login" is not an EventLogFile event type',
      ],
      [['--from', isoHoursAgo(24 * 40), '--to', isoHoursAgo(24 * 39)], '30-day'],
      [['--to', isoHoursAgo(1)], "required option '--from <iso>' not specified"],
    ];
    for (const [args, message] of cases) {
      // An unreachable server proves nothing was contacted: that would be exit 3.
      const r = await runElfstream(['backfill', sourceId, ...args, '-c', configPath], {
        env: { TEMPORAL_ADDRESS: '127.0.0.1:1' },
      });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toContain(message);
    }
  });

  it('backfill --wait follows a valid backfill to completion, and status reflects it', async () => {
    const from = new Date(Math.floor((Date.now() - 50 * HOUR) / HOUR) * HOUR).toISOString();
    const to = new Date(Date.parse(from) + 3 * HOUR).toISOString();
    const r = await runElfstream(
      ['backfill', sourceId, '--from', from, '--to', to, '--types', 'Login', '--wait', '-c', configPath],
      {
        timeoutMs: 90_000,
      },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const id = backfillWorkflowId(sourceId, from, to, ['Login']);
    expect(r.stdout).toContain(id);
    expect(r.stdout).toMatch(/completed\s+\[#+\] (\d+)\/\1 files/);

    const s = await statusOf();
    const entry = s.backfills.find((b) => b.backfillId === id);
    expect(entry).toMatchObject({ state: 'completed', from, to, eventTypes: ['Login'] });
    expect(entry?.filesListed).toBeGreaterThan(0);

    // The same range again: the source says it ran already, and --wait reports that backfill's outcome.
    const again = await runElfstream([
      'backfill',
      sourceId,
      '--from',
      from,
      '--to',
      to,
      '--types',
      'Login',
      '--wait',
      '-c',
      configPath,
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('completed');
  });

  it('setup is idempotent, and creates a missing namespace', async () => {
    const first = await cli('setup', '-c', configPath);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('ElfSourceId (Keyword): already registered');
    expect(first.stdout).toContain('nothing to add');

    const namespace = `cli-setup-${process.pid}-${Date.now().toString(36)}`;
    const created = await runElfstream(['setup', '-c', configPath], {
      env: { TEMPORAL_NAMESPACE: namespace },
      timeoutMs: 90_000,
    });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`namespace ${namespace}: created`);
    expect(created.stdout).toContain('ElfLogDate (Datetime): added');
    expect(created.stdout).toContain('added 3 search attributes');

    const again = await runElfstream(['setup', '-c', configPath], { env: { TEMPORAL_NAMESPACE: namespace } });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('created');
    expect(again.stdout).toContain('nothing to add');
  });

  it('stop ends the source with its state; later commands say it is not running; start carries on in a new run', async () => {
    const handle = t.client.workflow.getHandle(sourceWorkflowId(sourceId));
    const { runId } = await handle.describe();
    const stopped = await cli('stop', sourceId, '-c', configPath);
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('cancellation requested');
    expect(stopped.stdout).toContain('a later `elfstream start` carries on from');
    // It ends with its state as result, for the next start to carry on from.
    await eventually('the source workflow to close', async () =>
      (await handle.describe()).status.name === 'COMPLETED' ? true : undefined,
    );

    const status = await cli('status', sourceId, '-c', configPath);
    expect(status.code).toBe(4);
    expect(status.stdout).toContain('not running (stopped)');
    for (const cmd of ['stop', 'pause', 'poll']) {
      const r = await cli(cmd, sourceId, '-c', configPath);
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 4 });
      expect(r.stderr).toContain('is not running');
    }

    const restarted = await cli('start', sourceId, '-c', configPath);
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain('started');
    const d = await handle.describe();
    expect(d.status.name).toBe('RUNNING');
    expect(d.runId).not.toBe(runId);
  });
});

function isoHoursAgo(hours: number): string {
  return new Date(Date.now() - hours * HOUR).toISOString();
}
