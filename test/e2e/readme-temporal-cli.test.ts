/**
 * The README's `temporal` CLI examples, run as written (with this test's source id, task queue and dates): they
 * start, query, signal, describe, list and terminate a real source workflow served by a worker.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { createSourceHarness, DAY } from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

const README = fs.readFileSync(path.resolve(__dirname, '../../docs/operations.md'), 'utf8');

/** The commands between the README's temporal-cli-examples markers, continuation lines joined. */
function readmeCommands(): string[] {
  const block = /<!-- temporal-cli-examples -->\s*```sh\n([\s\S]*?)```/.exec(README)?.[1];
  if (!block) throw new Error('README.md has no temporal-cli-examples block');
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

describe('README: operating a source with the temporal CLI', () => {
  const t = useTestServer();

  it('every documented command works as written', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'readme', sim: { days: 2 } });
    const simNow = Date.parse(h.sim.control.now());
    const day = (ms: number): string => new Date(Math.floor(ms / DAY) * DAY).toISOString().replace('.000Z', 'Z');
    const commands = readmeCommands().map((c) =>
      c
        .replaceAll('acme-prod', h.sourceId)
        .replaceAll('salesforce-event-logs', h.taskQueue)
        .replace('2026-11-20T00:00:00Z', day(simNow - DAY))
        .replace('2026-11-21T00:00:00Z', day(simNow)),
    );
    expect(commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
      'temporal workflow start',
      'temporal workflow query',
      'temporal workflow signal',
      'temporal workflow signal',
      'temporal workflow signal',
      'temporal workflow signal',
      'temporal workflow describe',
      'temporal workflow metadata',
      'temporal workflow list',
      'temporal workflow terminate',
    ]);
    const cliDir = path.dirname(process.env.ELFSTREAM_TEST_TEMPORAL_CLI!);
    // Asynchronous: the worker runs in this process and must keep answering queries meanwhile.
    const exec = promisify(execFile);
    const env = {
      ...process.env,
      PATH: `${cliDir}:${process.env.PATH}`,
      TEMPORAL_ADDRESS: process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS,
    };
    const run = async (command: string): Promise<string> =>
      (await exec('sh', ['-c', command], { encoding: 'utf8', env })).stdout;
    const byVerb = (verb: string, nth = 0): string => commands.filter((c) => c.includes(`workflow ${verb} `))[nth]!;
    try {
      await h.withWorker(async () => {
        await run(byVerb('start'));
        // Query until the first cycle is done.
        let status = '';
        for (let i = 0; i < 120 && !/"cycles":\s*[1-9]/.test(status.replace(/\s+/g, '')); i++) {
          await new Promise((r) => setTimeout(r, 500));
          status = await run(byVerb('query'));
        }
        expect(status).toMatch(/checkpoint/);
        await run(byVerb('signal', 0)); // backfill
        for (let i = 0; i < 120 && !/"state":\s*"completed"/.test(status); i++) {
          await new Promise((r) => setTimeout(r, 500));
          status = await run(byVerb('query'));
        }
        expect(status).toMatch(/"backfills"/);
        expect(status).toMatch(/"state":\s*"completed"/);
        await run(byVerb('signal', 1)); // pause
        await new Promise((r) => setTimeout(r, 1000));
        expect(await run(byVerb('query'))).toMatch(/"paused":\s*true/);
        await run(byVerb('signal', 2)); // resume
        await run(byVerb('signal', 3)); // pollNow
        expect(await run(byVerb('describe'))).toMatch(/StaticSummary\s+"Salesforce Event Monitoring/);
        expect(await run(byVerb('metadata'))).toMatch(/Checkpoint/);
        expect(await run(byVerb('list'))).toContain(`elfstream-source-${h.sourceId}`);
        await run(byVerb('terminate'));
        expect(await run(byVerb('describe'))).toMatch(/CloseTime/);
        await expect(t.client.workflow.getHandle(`elfstream-source-${h.sourceId}`).describe()).resolves.toMatchObject({
          status: { name: 'TERMINATED' },
        });
      });
    } finally {
      await t.client.workflow
        .getHandle(`elfstream-source-${h.sourceId}`)
        .terminate()
        .catch(() => undefined);
      await h.close();
    }
  });
});
