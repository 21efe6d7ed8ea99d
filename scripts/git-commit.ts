import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
let commitOfThisCheckout: string | undefined;

/**
 * The commit the code runs on: `git rev-parse HEAD`, with `+dirty` when tracked files differ from it. Generated
 * reports (RELIABILITY.md, PERFORMANCE.md) name it, so a reader knows which code they describe.
 */
export function currentCommit(): string {
  if (commitOfThisCheckout === undefined) {
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    const head = git('rev-parse', 'HEAD');
    const dirty = git('status', '--porcelain', '--untracked-files=no').length > 0;
    commitOfThisCheckout = dirty ? `${head}+dirty` : head;
  }
  return commitOfThisCheckout;
}
