import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Replay fixtures, one folder per release: `test/replay/histories/<version>/<name>.json`. */
export const HISTORIES_ROOT = path.resolve(__dirname, '../replay/histories');

/** The release being built (package.json `version`): new fixtures go to its folder. */
export function currentRelease(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Every release folder with fixtures, oldest first by name. */
export function releaseDirs(): string[] {
  if (!fs.existsSync(HISTORIES_ROOT)) return [];
  return fs
    .readdirSync(HISTORIES_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A workflow run's history as `temporal workflow show --output json` exports it (proto JSON). */
export function exportHistory(workflowId: string, runId?: string): string {
  return execFileSync(
    process.env.ELFSTREAM_TEST_TEMPORAL_CLI!,
    [
      'workflow',
      'show',
      '--address',
      process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS!,
      '--workflow-id',
      workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
}

/**
 * Saves the history of a workflow run as a replay fixture of the current release
 * (`test/replay/histories/<version>/<name>.json`). Fixtures are append-only: a released history is what running
 * workflows really did, so an existing file is never replaced (delete it by hand only for an unreleased version).
 */
export function recordHistory(name: string, workflowId: string, runId?: string): string {
  const dir = path.join(HISTORIES_ROOT, currentRelease());
  const file = path.join(dir, `${name}.json`);
  if (fs.existsSync(file))
    throw new Error(
      `${path.relative(process.cwd(), file)} exists: fixtures of a release are never overwritten. ` +
        'Bump package.json version to record the fixtures of a new release.',
    );
  const history = exportHistory(workflowId, runId);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, history, { flag: 'wx' });
  return file;
}
