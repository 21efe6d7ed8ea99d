/**
 * The long-running commands as users run them: `elfstream worker` until SIGTERM, and `elfstream dev` (the demo
 * behind `npm start`) from an empty folder, stopped with SIGINT and started again.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startSimulator } from '@elfstream/salesforce-simulator';
import type { Simulator } from '@elfstream/salesforce-simulator';
import { freePort } from '../../src/temporal/dev-server';
import type { SourceStatus } from '../../src/workflows/messages';
import { eventually, runElfstream, runElfstreamJson, startElfstream, type RunningCli } from '../helpers/cli';
import { connectToTestServer, temporalAddress, uniqueTaskQueue } from '../helpers/temporal';

let tmp: string;
let sim: Simulator;
const started: RunningCli[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-cli-proc-'));
  sim = await startSimulator({ days: 2, seed: 11 });
});

afterAll(async () => {
  for (const p of started) await p.stop('SIGKILL', 5_000);
  await sim?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function gzFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ndjson.gz'));
}

describe('elfstream worker', () => {
  it('ingests the sources it is given until SIGTERM, then reports what it did and exits 0', async () => {
    const sourceId = `cli-worker-${process.pid}-${Date.now().toString(36)}`;
    const configPath = path.join(tmp, 'worker.yaml');
    const eventsDir = path.join(tmp, 'worker-events');
    fs.writeFileSync(
      configPath,
      stringify({
        temporal: { address: temporalAddress(), taskQueue: uniqueTaskQueue('cli-worker') },
        output: { type: 'file', dir: eventsDir },
        sources: [
          {
            id: sourceId,
            salesforce: {
              loginUrl: sim.url,
              auth: {
                type: 'password',
                username: sim.username,
                password: sim.credentials.password,
                securityToken: sim.credentials.securityToken,
              },
            },
            eventTypes: ['Logout'],
            startFrom: '-4h',
          },
        ],
      }),
    );
    const worker = startElfstream(['worker', '-c', configPath]);
    started.push(worker);
    await worker.waitFor(/worker started: namespace default/, 90_000);
    // The next line; it may reach this process in a read of its own.
    await worker.waitFor(new RegExp(`sources \\(1\\): ${sourceId}$`, 'm'), 10_000);

    expect((await runElfstream(['start', '-c', configPath])).code).toBe(0);
    const status = await eventually('the worker to ingest files', async () => {
      const { json } = await runElfstreamJson<SourceStatus>(['status', sourceId, '-c', configPath]);
      return json.totals?.files > 0 && json.state === 'waiting' ? json : undefined;
    });

    const exit = await worker.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain(
      `worker stopped: ${status.totals.files} files, ${status.totals.rows.toLocaleString('en-US')} events`,
    );
    expect(gzFiles(eventsDir).length).toBe(status.totals.files);

    // Leave the shared server tidy: the source would otherwise wait for a worker forever.
    const t = await connectToTestServer();
    try {
      await t.client.workflow.getHandle(`elfstream-source-${sourceId}`).terminate('test done');
    } finally {
      await t.close();
    }
  });
});

describe('elfstream dev', () => {
  it('runs the demo from an empty folder: events within a minute, Ctrl-C stops it, a restart continues', async () => {
    const cwd = path.join(tmp, 'demo');
    fs.mkdirSync(cwd);
    const [port, uiPort] = [await freePort(), await freePort()];
    const env = { TEMPORAL_CLI: process.env.ELFSTREAM_TEST_TEMPORAL_CLI ?? '' };
    const args = ['dev', '--port', String(port), '--ui-port', String(uiPort)];

    const first = startElfstream(args, { cwd, env });
    started.push(first);
    const out = await first.waitFor(/elfstream dev is running/, 120_000);
    expect(out).toContain(`Temporal Web UI  http://127.0.0.1:${uiPort}/namespaces/default/workflows`);
    expect(out).toContain('Events           ./data/events');
    expect(out).toContain('demo-org: started');
    const startedAt = Date.now();
    await eventually(
      'event files under ./data/events',
      async () => (gzFiles(path.join(cwd, 'data/events')).length > 0 ? true : undefined),
      60_000,
      500,
    );
    expect(Date.now() - startedAt).toBeLessThan(60_000);
    await first.waitFor(/demo-org\s+\S+.*files [1-9]/, 60_000);

    // The saved demo configuration lets a second terminal use the other commands.
    const status = await runElfstream(['status', '-c', path.join(cwd, '.elfstream/demo.yaml')]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^demo-org\s/m);

    // The output rides along so that a failure shows what the command printed.
    expect({ ...(await first.stop('SIGINT')), output: first.output() }).toEqual({
      code: 0,
      signal: null,
      output: expect.stringContaining('stopped'),
    });
    const stopping = first.output();
    const order = ['stopping the worker', 'stopping the simulator', 'stopping the Temporal dev server', 'stopped'].map(
      (s) => stopping.indexOf(s),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // Same folder again: the dev server's database keeps the source's workflow, which carries on.
    const second = startElfstream(args, { cwd, env });
    started.push(second);
    await second.waitFor(/elfstream dev is running/, 120_000);
    expect(second.output()).toContain('demo-org: already running, continuing');
    expect({ ...(await second.stop('SIGINT')), output: second.output() }).toEqual({
      code: 0,
      signal: null,
      output: expect.stringContaining('stopped'),
    });
  });
});
