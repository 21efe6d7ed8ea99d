/**
 * Determinism: recorded histories of every workflow (normal cycles, pause, backfill, continue-as-new, a file
 * ingestion) replay against today's workflow code. A change that would break running workflows fails here.
 * Re-record with `ELFSTREAM_RECORD_HISTORIES=1 npx jest test/integration/source-workflow` after an intended change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../helpers/histories';
import { installQuietRuntime, workflowBundlePath } from '../helpers/temporal';

const files = fs.readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  beforeAll(() => installQuietRuntime());

  it('has fixtures for every workflow and scenario', () => {
    expect(files.sort()).toEqual(
      expect.arrayContaining([
        'backfill.json',
        'file-ingest.json',
        'source-continue-as-new.json',
        'source-cycles.json',
        'source-pause-backfill.json',
      ]),
    );
  });

  it.each(files)('%s replays without nondeterminism', async (file) => {
    const history = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath() }, replayName: file }, history);
  });
});
