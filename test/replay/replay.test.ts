/**
 * Determinism: the recorded histories of every release (`histories/<version>/`) replay against today's workflow
 * code. Source workflows run for months, so a deployment replays histories written by every earlier release; a
 * change that alters the commands of any of them fails here (see CONTRIBUTING.md, "Changing workflow code").
 * Record the fixtures of a new release with
 *   ELFSTREAM_RECORD_HISTORIES=1 npx jest test/replay/record-histories --runInBand
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { HISTORIES_ROOT, releaseDirs } from '../helpers/histories';
import { installQuietRuntime, workflowBundlePath } from '../helpers/temporal';

const fixtures = releaseDirs().flatMap((release) =>
  fs
    .readdirSync(path.join(HISTORIES_ROOT, release))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => `${release}/${f}`),
);

/** Every path a running source of 0.1.0 can be in, and its file and backfill workflows. */
const RELEASE_0_1_0 = [
  'backfill-range.json',
  'file-gone.json',
  'file-ingested.json',
  'source-backfills.json',
  'source-continued-first-run.json',
  'source-continued-next-run.json',
  'source-cron-first-run.json',
  'source-cron-next-run.json',
  'source-file-gone.json',
  'source-pause-resume-pollnow.json',
  'source-poll-cycles.json',
  'source-rate-limited.json',
  'source-started-after-stop.json',
  'source-stopped.json',
].map((f) => `0.1.0/${f}`);

describe('replay of recorded histories', () => {
  beforeAll(() => installQuietRuntime());

  it('has the fixtures of every path of release 0.1.0', () => {
    expect(fixtures).toEqual(expect.arrayContaining(RELEASE_0_1_0));
  });

  it.each(fixtures)('%s replays without nondeterminism', async (fixture) => {
    const history = JSON.parse(fs.readFileSync(path.join(HISTORIES_ROOT, fixture), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath() }, replayName: fixture }, history);
  });
});
