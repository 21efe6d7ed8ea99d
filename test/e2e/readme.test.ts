/**
 * Every command of the README, run as written: the checklist from the demo to your own org, against the simulator
 * (standing in for the org) and the suite's Temporal server. `./run start` and `./run test` are the demo and this
 * suite; the test checks that `./run` maps them to those.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@elfstream/salesforce-simulator';
import { stringify } from 'yaml';
import type { SourceStatus } from '../../src/workflows/messages';
import { eventually, REPO_ROOT, runElfstream, runElfstreamJson, startElfstream, type RunningCli } from '../helpers/cli';
import { connectToTestServer, temporalAddress, uniqueTaskQueue } from '../helpers/temporal';

const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

/** The lines of the README's ```sh blocks. */
function readmeCommands(): string[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((b) => b.split('\n').map((l) => l.trim())).filter((l) => l.length > 0);
}

let tmp: string;
let sim: Simulator;
let worker: RunningCli | undefined;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-readme-'));
  sim = await startSimulator({ days: 1, seed: 31 });
});

afterAll(async () => {
  await worker?.stop('SIGKILL', 5_000);
  await sim?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('README', () => {
  it('fits a first screen: the demo in one command before anything else', () => {
    expect(README.length).toBeLessThan(6_000);
    expect(readmeCommands()[0]).toBe('./run start');
  });

  it('./run start is the demo and ./run test the suite', () => {
    const run = fs.readFileSync(path.join(REPO_ROOT, 'run'), 'utf8');
    expect(run).toMatch(/^\s*start \| test \|.*\) exec npm run "\$@" ;;$/m);
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    // `elfstream dev` itself is run by test/e2e/cli-processes.test.ts.
    expect(scripts.start).toBe('tsx src/cli/main.ts dev');
    expect(scripts.test).toBe('jest');
  });

  it('runs every elfstream command of the checklist as written, in order', async () => {
    const configPath = path.join(tmp, 'elfstream.yaml');
    fs.writeFileSync(
      configPath,
      stringify({
        temporal: { address: temporalAddress(), taskQueue: uniqueTaskQueue('readme') },
        output: { type: 'file', dir: path.join(tmp, 'events') },
        sources: [
          {
            id: 'acme-prod',
            salesforce: {
              loginUrl: sim.url,
              auth: { type: 'client-credentials', clientId: sim.credentials.clientId, clientSecret: '${SF_SECRET}' },
            },
            eventTypes: ['Login', 'Logout'],
            startFrom: '-4h',
          },
        ],
      }),
    );
    const env = { ELFSTREAM_CONFIG: configPath, SF_SECRET: sim.credentials.clientSecret };
    const commands = readmeCommands().filter((c) => c.startsWith('./run elfstream '));
    expect(commands).toEqual([
      './run elfstream setup',
      './run elfstream verify acme-prod',
      './run elfstream worker',
      './run elfstream start',
      './run elfstream status',
      './run elfstream ui acme-prod',
    ]);
    try {
      for (const command of commands) {
        const args = command.replace('./run elfstream ', '').split(' ');
        if (args[0] === 'worker') {
          worker = startElfstream(args, { env });
          await worker.waitFor(/worker started/, 90_000);
          continue;
        }
        const r = await runElfstream(args, { env, timeoutMs: 120_000 });
        expect({ command, code: r.code, stderr: r.stderr }).toEqual({ command, code: 0, stderr: '' });
        if (args[0] === 'verify') expect(r.stdout).not.toContain('✖');
        if (args[0] === 'ui') expect(r.stdout).toContain('ElfSourceId="acme-prod"');
      }
      const status = await eventually('the source to ingest', async () => {
        const { json } = await runElfstreamJson<SourceStatus>(['status', 'acme-prod'], { env });
        return json.totals?.files > 0 && json.state === 'waiting' ? json : undefined;
      });
      expect(status.okSince).toBeDefined();
      const files = fs.readdirSync(path.join(tmp, 'events', 'acme-prod'), { recursive: true, encoding: 'utf8' });
      expect(files.filter((f) => f.endsWith('manifest.json'))).toHaveLength(status.totals.files);
    } finally {
      await worker?.stop('SIGTERM');
      worker = undefined;
      const t = await connectToTestServer();
      await t.client.workflow
        .getHandle('elfstream-source-acme-prod')
        .terminate('test done')
        .catch(() => undefined);
      await t.close();
    }
  });
});
