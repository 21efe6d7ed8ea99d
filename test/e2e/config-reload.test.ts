/**
 * A running `elfstream worker` follows its configuration file: a fixed password applies without a restart, a file
 * that is not valid is refused with the reason while the previous configuration stays, and failed logins never
 * change the source's schedule.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { startSimulator } from '@elfstream/salesforce-simulator';
import type { Simulator } from '@elfstream/salesforce-simulator';
import type { SourceStatus } from '../../src/workflows/messages';
import { eventually, runElfstream, runElfstreamJson, startElfstream, type RunningCli } from '../helpers/cli';
import { connectToTestServer, temporalAddress, uniqueTaskQueue } from '../helpers/temporal';

let tmp: string;
let sim: Simulator;
let worker: RunningCli | undefined;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-reload-'));
  sim = await startSimulator({ days: 1, seed: 5 });
});

afterAll(async () => {
  await worker?.stop('SIGKILL', 5_000);
  await sim?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The next 1 January, 00:00 UTC: the only tick of the schedule below. */
function nextNewYear(nowMs: number): string {
  const year = new Date(nowMs).getUTCFullYear() + 1;
  return new Date(Date.UTC(year, 0, 1)).toISOString();
}

describe('elfstream worker and a changed configuration', () => {
  it('applies a fixed password at the next poll, refuses a broken file, and keeps the schedule after failed logins', async () => {
    const sourceId = `reload-${process.pid}-${Date.now().toString(36)}`;
    const configPath = path.join(tmp, 'elfstream.yaml');
    const write = (password: string): void =>
      fs.writeFileSync(
        configPath,
        stringify({
          temporal: { address: temporalAddress(), taskQueue: uniqueTaskQueue('reload') },
          output: { type: 'file', dir: path.join(tmp, 'events') },
          sources: [
            {
              id: sourceId,
              schedule: '0 0 1 1 *',
              salesforce: {
                loginUrl: sim.url,
                auth: {
                  type: 'password',
                  username: sim.username,
                  password,
                  securityToken: sim.credentials.securityToken,
                },
              },
              eventTypes: ['Logout'],
              startFrom: '-4h',
            },
          ],
        }),
      );
    const status = async (): Promise<SourceStatus> =>
      (await runElfstreamJson<SourceStatus>(['status', sourceId, '-c', configPath])).json;

    write('not-the-password');
    worker = startElfstream(['worker', '-c', configPath]);
    await worker.waitFor(/worker started: namespace default/, 90_000);
    expect((await runElfstream(['start', '-c', configPath])).code).toBe(0);

    const failed = await eventually('the first cycle to fail', async () => {
      const s = await status();
      return s.cycles >= 1 && s.state === 'waiting' ? s : undefined;
    });
    expect(failed.lastCycle?.error).toMatch(/password|credentials|INVALID_LOGIN/i);
    expect(failed.nextRunAt).toBe(nextNewYear(Date.now()));

    // A broken file is refused, with the reason, and changes nothing.
    fs.writeFileSync(configPath, fs.readFileSync(configPath, 'utf8').replace(/schedule: .*/, 'schedule: hourly'));
    await worker.waitFor(/configuration not reloaded, the previous one stays in use:\n.*schedule/, 30_000);

    write(sim.credentials.password);
    await worker.waitFor(new RegExp(`configuration reloaded from .*: sources \\(1\\): ${sourceId}`), 30_000);
    expect((await runElfstream(['poll', sourceId, '-c', configPath])).code).toBe(0);
    const ok = await eventually('a successful cycle after the fix', async () => {
      const s = await status();
      return s.cycles >= 2 && s.state === 'waiting' ? s : undefined;
    });
    expect(ok.lastCycle?.error).toBeUndefined();
    expect(ok.totals.files).toBeGreaterThan(0);
    expect(ok.nextRunAt).toBe(nextNewYear(Date.now()));

    expect(await worker.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    worker = undefined;
    const t = await connectToTestServer();
    try {
      await t.client.workflow.getHandle(`elfstream-source-${sourceId}`).terminate('test done');
    } finally {
      await t.close();
    }
  });
});
