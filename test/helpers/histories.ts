import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const HISTORIES_DIR = path.resolve(__dirname, '../replay/histories');

/** A workflow run's history as `temporal workflow show --output json` exports it. */
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
 * With ELFSTREAM_RECORD_HISTORIES=1, saves the history of a workflow run as a replay fixture
 * (`test/replay/histories/<name>.json`).
 */
export function recordHistory(name: string, workflowId: string, runId?: string): void {
  if (process.env.ELFSTREAM_RECORD_HISTORIES !== '1') return;
  fs.mkdirSync(HISTORIES_DIR, { recursive: true });
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), exportHistory(workflowId, runId));
}
