/**
 * RELIABILITY.md is the report of one run of one commit: it names the commit and the time of the run, and the
 * script refuses a log whose scenarios ran on different commits.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { currentCommit } from '../../scripts/git-commit';
import { commitOf, latestRecords, render, type ScenarioRecord } from '../../scripts/reliability-report';

const record = (id: string, commit: string, at: string): ScenarioRecord => ({
  id,
  scenario: id,
  injected: 'x',
  compares: 'y',
  result: 'pass',
  facts: {},
  durationMs: 1000,
  at,
  commit,
});

describe('reliability report', () => {
  it('names the commit and the time of the run', () => {
    const records = [
      record('fault/a', 'abc123', '2026-12-05T10:00:00.000Z'),
      record('fault/b', 'abc123', '2026-12-05T10:05:00.000Z'),
    ];
    expect(render(records, undefined)).toContain(
      'Run of commit `abc123`, from 2026-12-05T10:00:00.000Z to 2026-12-05T10:05:00.000Z.',
    );
  });

  it('refuses records of different commits, naming the scenarios of each', () => {
    const log = [
      record('fault/a', 'old111', '2026-12-04T10:00:00.000Z'),
      record('fault/a', 'new222', '2026-12-05T10:00:00.000Z'),
      record('fault/b', 'old111', '2026-12-04T10:01:00.000Z'),
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const latest = latestRecords(log);
    expect(() => commitOf(latest)).toThrow('the reliability records come from 2 commits');
    expect(() => commitOf(latest)).toThrow('  new222: fault/a\n');
    expect(() => commitOf(latest)).toThrow('  old111: fault/b\n');
  });

  it('the script exits 1 on a mixed log and writes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-report-'));
    const log = path.join(dir, 'reliability.jsonl');
    const out = path.join(dir, 'RELIABILITY.md');
    fs.writeFileSync(
      log,
      [record('fault/a', 'one', '2026-12-05T10:00:00Z'), record('fault/b', 'two', '2026-12-05T10:01:00Z')]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    const script = path.resolve(__dirname, '../../scripts/reliability-report.ts');
    const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
    const run = promisify(execFile)(tsx, [script, '--log', log, '--out', out]);
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('come from 2 commits') });
    expect(fs.existsSync(out)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records the commit of this checkout', () => {
    expect(currentCommit()).toMatch(/^[0-9a-f]{40}(\+dirty)?$/);
  });
});
