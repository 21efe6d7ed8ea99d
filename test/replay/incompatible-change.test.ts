/**
 * The replay suite can fail: a source workflow that adds a timer without `patched()` is rejected with a
 * DeterminismViolationError by every recorded source history of every release, and the same change behind
 * `patched()` replays.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { HISTORIES_ROOT, releaseDirs } from '../helpers/histories';
import { installQuietRuntime } from '../helpers/temporal';

const sourceFixtures = releaseDirs().flatMap((release) =>
  fs
    .readdirSync(path.join(HISTORIES_ROOT, release))
    .filter((f) => f.startsWith('source-') && f.endsWith('.json'))
    .map((f) => `${release}/${f}`),
);

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };

async function bundle(fixture: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.resolve(__dirname, 'fixtures', fixture),
    logger: quietLogger,
  });
  return code;
}

function replay(code: string, fixture: string): Promise<void> {
  const history = JSON.parse(fs.readFileSync(path.join(HISTORIES_ROOT, fixture), 'utf8'));
  return Worker.runReplayHistory({ workflowBundle: { code }, replayName: fixture }, history);
}

describe('replay of a change to the source workflow', () => {
  let incompatible: string;
  let patchedCode: string;
  beforeAll(async () => {
    installQuietRuntime();
    incompatible = await bundle('incompatible-workflows.ts');
    patchedCode = await bundle('patched-workflows.ts');
  }, 180_000);

  it('has source histories to replay', () => {
    expect(sourceFixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(sourceFixtures)('without patched(): %s fails with DeterminismViolationError', async (fixture) => {
    await expect(replay(incompatible, fixture)).rejects.toBeInstanceOf(DeterminismViolationError);
  });

  it.each(sourceFixtures)('behind patched(): %s replays', async (fixture) => {
    await replay(patchedCode, fixture);
  });
});
