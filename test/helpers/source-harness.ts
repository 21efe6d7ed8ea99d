import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { parseConfig } from '../../src/config';
import type { ElfstreamConfig } from '../../src/config/types';
import { startSimulator } from '@elfstream/salesforce-simulator';
import type { Simulator, SimulatorOptions } from '@elfstream/salesforce-simulator';
import { createElfstreamWorker } from '../../src/worker';
import type { SourceStatus } from '../../src/workflows/messages';
import { statusQuery } from '../../src/workflows/messages';
import { salesforceSourceWorkflow } from '../../src/workflows';
import { sourceWorkflowId } from '../../src/workflows/ids';
import type { SourceWorkflowInput } from '../../src/workflows/source';
import type { TemporalTestContext } from './temporal';
import { uniqueTaskQueue, workflowBundlePath } from './temporal';

export const HOUR = 3600_000;
export const DAY = 24 * HOUR;
/** The event types a harness's simulator generates and its source collects, unless a test says otherwise. */
export const HARNESS_EVENT_TYPES = ['Login', 'LoginAs', 'Logout', 'URI'];

/** A simulated clock far enough in the past that every file it reveals is older than the real settle window. */
export function simulatedStart(daysAgo = 10): string {
  return new Date(Math.floor((Date.now() - daysAgo * DAY) / HOUR) * HOUR).toISOString();
}

export interface SourceHarness {
  sim: Simulator;
  config: ElfstreamConfig;
  outputDir: string;
  tmpDir: string;
  taskQueue: string;
  configPath: string;
  /** Unique per harness, so backfills signal this test's source workflow (`elfstream-source-<sourceId>`). */
  sourceId: string;
  /** Runs `fn` while a worker serves the harness's task queue. */
  withWorker<T>(fn: (worker: Worker) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** CreatedDates of the hourly files of the harness's types that the simulator has published, newest first. */
function publishedHourly(sim: Simulator): string[] {
  return sim.control
    .listFiles()
    .filter((f) => f.interval === 'Hourly' && HARNESS_EVENT_TYPES.includes(f.eventType))
    .map((f) => f.createdDate)
    .sort()
    .reverse();
}

/**
 * A `startFrom` `hours` before the simulator's clock, moved further back by whole hours until the simulator has
 * published at least `minFiles` hourly files of the harness's types since: publication is random (the seed, the
 * hour), and a fixed window holds too few files in a few runs in a hundred.
 */
export function startFromWithFiles(sim: Simulator, hours: number, minFiles: number): string {
  const nowMs = Date.parse(sim.control.now());
  const created = publishedHourly(sim).map((c) => Date.parse(c));
  let fromMs = nowMs - hours * HOUR;
  while (created.filter((c) => c >= fromMs).length < minFiles) {
    if (nowMs - fromMs >= DAY) throw new Error(`the simulator published fewer than ${minFiles} files in a day`);
    fromMs -= HOUR;
  }
  return new Date(fromMs).toISOString();
}

/**
 * The CreatedDate from which the simulator has published at most `maxFiles` (and at least one) hourly files of the
 * harness's types: its newest files, cut between two seconds (files of one second are all in or all out, as
 * `startFrom` is inclusive).
 */
export function startFromWithAtMost(sim: Simulator, maxFiles: number): string {
  const created = publishedHourly(sim);
  let last = -1;
  for (let i = 0; i < Math.min(maxFiles, created.length); i++) if (created[i + 1] !== created[i]) last = i;
  if (last < 0) throw new Error(`the simulator has no second before ${sim.control.now()} with 1 to ${maxFiles} files`);
  return created[last]!;
}

/** A simulator, a config file pointing at it (source `acme`), an output folder and a task queue of its own. */
export async function createSourceHarness(
  t: TemporalTestContext,
  opts: {
    sim?: SimulatorOptions;
    source?: string;
    sourcePrefix?: string;
    auth?: AuthType;
    /** Another Temporal server than the shared one (a test's own dev server). */
    temporalAddress?: string;
    /** Another namespace than `default` (registered by the test). */
    namespace?: string;
    /** Runs with the harness's folder before the config is parsed (to write files the config names). */
    beforeParse?: (tmpDir: string) => void;
    /**
     * Replaces the value of a source setting written below (e.g. `{ chunkRows: '200' }`); a function gets the
     * started simulator, to choose settings from its files.
     */
    settings?: Record<string, string> | ((sim: Simulator) => Record<string, string>);
    /** The `output:` section's keys instead of the file sink in `outputDir` (e.g. `{ type: 'http', url: ... }`). */
    output?: Record<string, string>;
    /** `salesforce.apiVersion`; default "62.0". */
    apiVersion?: string;
    /** Log in at the simulator's login URL (default) or at its My Domain-style instance URL. */
    loginAt?: 'login' | 'instance';
  } = {},
): Promise<SourceHarness> {
  const sim = await startSimulator({
    seed: Math.floor(Math.random() * 1e9),
    days: 2,
    now: simulatedStart(),
    rowsPerFile: { min: 2, max: 6 },
    eventTypes: HARNESS_EVENT_TYPES,
    ...opts.sim,
  });
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-test-'));
  const outputDir = path.join(tmpDir, 'events');
  const taskQueue = uniqueTaskQueue('source');
  const sourceId = `${opts.sourcePrefix ?? 'acme'}-${Math.random().toString(36).slice(2, 8)}`;
  const settings: Record<string, string> = {
    eventTypes: `[${HARNESS_EVENT_TYPES.join(', ')}]`,
    interval: 'Hourly',
    schedule: '"0 0 1 1 *"',
    startFrom: new Date(Date.parse(sim.control.now()) - DAY).toISOString(),
    settleWindow: '1m',
    rescanHorizon: '72h',
    concurrency: '4',
    chunkRows: '1000',
    ...(typeof opts.settings === 'function' ? opts.settings(sim) : opts.settings),
  };
  const settingsYaml = Object.entries(settings)
    .map(([k, v]) => `    ${k}: ${v}`)
    .join('\n');
  const yaml = `
temporal:
  address: ${opts.temporalAddress ?? process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS}
  namespace: ${opts.namespace ?? 'default'}
  taskQueue: ${taskQueue}
output:
${Object.entries(opts.output ?? { type: 'file', dir: outputDir })
  .map(([k, v]) => `  ${k}: ${v}`)
  .join('\n')}
sources:
  - id: ${sourceId}
    label: Acme (simulated)
    salesforce:
      loginUrl: ${opts.loginAt === 'instance' ? sim.instanceUrl : sim.url}
      apiVersion: "${opts.apiVersion ?? '62.0'}"
      auth:
${authYaml(opts.auth ?? 'password', sim, tmpDir)}
${settingsYaml}
${opts.source ?? ''}`;
  opts.beforeParse?.(tmpDir);
  const configPath = path.join(tmpDir, 'elfstream.yaml');
  fs.writeFileSync(configPath, yaml);
  const env = harnessEnv(sim);
  const config = parseConfig(yaml, { path: configPath, env, cwd: tmpDir });
  return {
    sim,
    config,
    outputDir,
    tmpDir,
    taskQueue,
    configPath,
    sourceId,
    async withWorker(fn) {
      const { worker } = await createElfstreamWorker({
        config,
        connection: t.nativeConnection,
        client: opts.namespace ? new Client({ connection: t.connection, namespace: opts.namespace }) : t.client,
        workflowBundlePath: workflowBundlePath(),
      });
      return worker.runUntil(() => fn(worker));
    },
    async close() {
      await sim.close();
      fs.rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

export type AuthType = 'password' | 'oauth-password' | 'client-credentials' | 'jwt';

/** Secrets reach the config through ${VAR} (these variables) and *File keys, as users are told to do. */
export function harnessEnv(sim: Simulator): Record<string, string> {
  return {
    SF_PASSWORD: sim.credentials.password,
    SF_TOKEN: sim.credentials.securityToken,
    SF_CLIENT_SECRET: sim.credentials.clientSecret,
  };
}

function authYaml(type: AuthType, sim: Simulator, tmpDir: string): string {
  const c = sim.credentials;
  const lines: string[] = [`type: ${type}`];
  if (type !== 'client-credentials') lines.push(`username: ${c.username}`);
  if (type === 'password' || type === 'oauth-password')
    lines.push('password: ${SF_PASSWORD}', 'securityToken: ${SF_TOKEN}');
  if (type !== 'password') lines.push(`clientId: ${c.clientId}`);
  if (type === 'oauth-password' || type === 'client-credentials') lines.push('clientSecret: ${SF_CLIENT_SECRET}');
  if (type === 'jwt') {
    const keyFile = path.join(tmpDir, 'jwt-key.pem');
    fs.writeFileSync(keyFile, c.jwtPrivateKeyPem, { mode: 0o600 });
    lines.push(`privateKeyFile: ${keyFile}`, `audience: ${sim.url}`);
  }
  return lines.map((l) => `        ${l}`).join('\n');
}

/** Polls the source's status until `predicate` holds (or fails after `timeoutMs` with the last status). */
export async function waitForStatus(
  handle: WorkflowHandle<typeof salesforceSourceWorkflow>,
  predicate: (s: SourceStatus) => boolean,
  timeoutMs = 60_000,
): Promise<SourceStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: SourceStatus | undefined;
  for (;;) {
    try {
      last = await handle.query(statusQuery);
      if (predicate(last)) return last;
    } catch {
      // Not started yet, or between runs of a continue-as-new.
    }
    if (Date.now() > deadline)
      throw new Error(`status did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Starts the harness source's workflow on the harness task queue, as `elfstream start` would. */
export async function startSourceWorkflow(
  t: TemporalTestContext,
  h: SourceHarness,
  input: Partial<SourceWorkflowInput> = {},
): Promise<WorkflowHandle<typeof salesforceSourceWorkflow>> {
  return t.client.workflow.start(salesforceSourceWorkflow, {
    taskQueue: h.taskQueue,
    workflowId: sourceWorkflowId(h.sourceId),
    args: [{ sourceId: h.sourceId, ...input }],
  });
}
