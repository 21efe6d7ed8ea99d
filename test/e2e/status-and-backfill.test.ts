/**
 * What an operator sees while a source runs, through the CLI: the source's health first (failing since, ok since),
 * errors in full, a backfill's progress per file (files, events, bytes, ETA) in `status`, totals that count
 * backfills, and an empty backfill that says which dates do have files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from '@temporalio/worker';
import { stringify } from 'yaml';
import { loadConfig } from '../../src/config';
import { startSimulator } from '@elfstream/salesforce-simulator';
import type { Simulator } from '@elfstream/salesforce-simulator';
import { createElfstreamWorker, type ElfstreamWorker } from '../../src/worker';
import { sourceWorkflowId } from '../../src/workflows/ids';
import type { SourceStatus } from '../../src/workflows/messages';
import { eventually, runElfstream, runElfstreamJson } from '../helpers/cli';
import { walk } from '../helpers/output';
import {
  connectToTestServer,
  temporalAddress,
  uniqueTaskQueue,
  workflowBundlePath,
  type TemporalTestContext,
} from '../helpers/temporal';

const DAY = 24 * 3_600_000;
const INSTANT = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ';

let tmp: string;
let sim: Simulator;
let t: TemporalTestContext;
let created: ElfstreamWorker;
let running: Promise<void>;
let configPath: string;
const sourceId = `ops-${process.pid}-${Date.now().toString(36)}`;
const taskQueue = uniqueTaskQueue('ops');

function writeConfig(file: string, password: string): void {
  const document = {
    temporal: { address: temporalAddress(), namespace: 'default', taskQueue },
    output: { type: 'file', dir: path.join(tmp, 'events'), gzip: false },
    sources: [
      {
        id: sourceId,
        salesforce: {
          loginUrl: sim.url,
          auth: { type: 'password', username: sim.username, password, securityToken: sim.credentials.securityToken },
        },
        eventTypes: ['Login', 'URI'],
        interval: 'Hourly',
        schedule: '0 0 1 1 *',
        startFrom: '-2h',
      },
    ],
  };
  fs.writeFileSync(file, stringify(document));
}

const cli = (...args: string[]) => runElfstream([...args, '-c', configPath]);
const statusOf = async (): Promise<SourceStatus> =>
  (await runElfstreamJson<SourceStatus>(['status', sourceId, '-c', configPath])).json;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-ops-'));
  sim = await startSimulator({ days: 3, seed: 23, clock: 'real' });
  configPath = path.join(tmp, 'elfstream.yaml');
  const badPath = path.join(tmp, 'bad-password.yaml');
  writeConfig(configPath, sim.credentials.password);
  writeConfig(badPath, 'not-the-password');
  t = await connectToTestServer();
  // The worker starts with the wrong password, as the person did; the fix reaches it as a reloaded configuration.
  created = await createElfstreamWorker({
    config: loadConfig({ path: badPath, env: {} }),
    connection: t.nativeConnection,
    client: t.client,
    workflowBundlePath: workflowBundlePath(),
    taskQueue,
  });
  running = created.worker.run();
});

afterAll(async () => {
  sim?.control.clearFaults();
  await t?.client.workflow
    .getHandle(sourceWorkflowId(sourceId))
    .terminate('test done')
    .catch(() => undefined);
  const worker: Worker | undefined = created?.worker;
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running?.catch(() => undefined);
  await created?.sink.close();
  await t?.close();
  await sim?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('status: health first, errors in full', () => {
  it('says since when a source fails, then that it recovered, with the last error and its time', async () => {
    expect((await cli('start')).code).toBe(0);
    const failing = await eventually('the first cycle to fail', async () => {
      const s = await statusOf();
      return s.cycles >= 1 && s.state === 'waiting' ? s : undefined;
    });
    expect(failing.failingSince).toBe(failing.lastCycle?.startedAt);
    expect(failing.okSince).toBeUndefined();
    const message = failing.lastError!.message;
    expect(message.length).toBeGreaterThan(80);

    let table = await cli('status');
    expect(table.code).toBe(0);
    let [header, row, blank, note] = table.stdout.split('\n');
    expect(header).toMatch(/^SOURCE\s+STATE\s+HEALTH\s+CHECKPOINT\s+FILES\s+EVENTS\s+NEXT RUN$/);
    expect(row).toMatch(new RegExp(`^${sourceId}\\s+waiting\\s+failing since ${INSTANT}\\s`));
    expect(blank).toBe('');
    // Not cut: the whole message, on one line in a pipe.
    expect(note).toMatch(new RegExp(`^${sourceId}: failing since ${INSTANT}: `));
    expect(note!.endsWith(`: ${message}`)).toBe(true);

    const config = loadConfig({ path: configPath, env: {} });
    expect(created.reloadConfig(config)).toEqual([]);
    expect((await cli('poll', sourceId)).code).toBe(0);
    const ok = await eventually('a successful cycle', async () => {
      const s = await statusOf();
      return s.cycles >= 2 && s.state === 'waiting' ? s : undefined;
    });
    expect(ok.lastCycle?.error).toBeUndefined();
    expect(ok.failingSince).toBeUndefined();
    expect(ok.okSince).toBe(ok.lastCycle?.finishedAt);
    expect(ok.lastError?.message).toBe(message);

    table = await cli('status');
    [header, row, blank, note] = table.stdout.split('\n');
    expect(row).toMatch(new RegExp(`^${sourceId}\\s+waiting\\s+ok since ${INSTANT}\\s`));
    expect(note).toMatch(new RegExp(`^${sourceId}: last error ${INSTANT} \\(ok again since ${INSTANT}\\): `));
    expect(note!.endsWith(`: ${message}`)).toBe(true);
  });
});

describe('backfill: progress per file, totals, and an empty range', () => {
  it('an empty range says which LogDates have files, with a command that has some', async () => {
    const from = new Date(Date.now() - 20 * DAY).toISOString().slice(0, 10);
    const to = new Date(Date.now() - 19 * DAY).toISOString().slice(0, 10);
    const r = await cli('backfill', sourceId, '--from', from, '--to', to, '--wait');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/completed\s+\[-+\] 0\/0 files/);
    const logDates = sim.control
      .listFiles()
      .filter((f) => ['Login', 'URI'].includes(f.eventType))
      .map((f) => f.logDate.slice(0, 10))
      .sort();
    const first = logDates[0]!;
    const last = logDates[logDates.length - 1]!;
    const next = new Date(Date.parse(`${last}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
    expect(r.stdout).toContain(
      `no Login, URI files have a LogDate in ${from} → ${to}; the org has them for LogDates ${first} … ${last}, e.g.\n` +
        `  elfstream backfill ${sourceId} --from ${last} --to ${next} --wait\n`,
    );
  });

  it('reports progress per file while it runs, and its files count in the source totals', async () => {
    const from = new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10);
    const to = new Date(Date.now() - DAY).toISOString().slice(0, 10);
    // Slow downloads keep the backfill running long enough to watch: the blobs travel gzipped (a few KB), so the
    // throttle is low enough that the backfill outlasts several of its 5-second progress reports.
    sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 500, count: 100_000 });
    const r = await cli('backfill', sourceId, '--from', from, '--to', to, '--types', 'URI');
    expect(r.code).toBe(0);

    const midway = await eventually(
      'a running backfill with files done',
      async () => {
        const b = (await statusOf()).backfills.find((x) => x.from.startsWith(from));
        return b?.state === 'running' && b.filesIngested > 0 && b.filesIngested < b.filesListed ? b : undefined;
      },
      120_000,
      500,
    );
    expect(midway.filesListed).toBe(
      sim.control
        .listFiles()
        .filter((f) => f.eventType === 'URI' && f.interval === 'Hourly' && f.logDate.slice(0, 10) === from).length,
    );
    expect(midway.bytesDone).toBeGreaterThan(0);
    expect(midway.bytesDone).toBeLessThan(midway.bytesListed!);

    // The same progress in words, below the status table, while the backfill runs.
    const line = new RegExp(
      `^${sourceId}: backfill ${from} 00:00:00Z → ${to} 00:00:00Z: \\d+/${midway.filesListed} files, \\d+ events, ` +
        `[\\d.]+ MB of [\\d.]+ MB(, .*)?, ETA \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\dZ$`,
      'm',
    );
    await eventually(
      'status to show the running backfill with its ETA',
      async () => ((await cli('status')).stdout.match(line) ? true : undefined),
      60_000,
      500,
    );

    sim.control.clearFaults();
    const done = await eventually(
      'the backfill to complete',
      async () => {
        const s = await statusOf();
        const b = s.backfills.find((x) => x.from.startsWith(from));
        return b?.state === 'completed' && s.state === 'waiting' && s.filesInFlight.length === 0 ? s : undefined;
      },
      180_000,
    );
    // Every file on disk is counted once: the live cycles' and the backfill's.
    const manifests = walk(path.join(tmp, 'events')).filter((f) => f.endsWith('manifest.json'));
    expect(done.totals.files).toBe(manifests.length);
    const backfill = done.backfills.find((x) => x.from.startsWith(from))!;
    expect(backfill.filesIngested).toBeGreaterThan(0);
    expect(done.totals.files).toBeGreaterThanOrEqual(backfill.filesIngested + (done.lastCycle?.filesIngested ?? 0));
  });
});
