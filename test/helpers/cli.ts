/** Runs the `elfstream` command as a child process, the way a user or a script does, and collects what it printed. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CliRunOptions {
  /** Added to a clean environment (the parent's, without ELFSTREAM_* and TEMPORAL_* variables). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Kill the command after this long (default 60 s). */
  timeoutMs?: number;
  /**
   * `source` (default) runs src/cli/main.ts through tsx, so tests always exercise the code of the tree; `bin` runs
   * bin/elfstream.js as installed users do (the compiled lib/ when a build left one).
   */
  via?: 'source' | 'bin';
}

/** Variables that would leak the developer's setup into a test run. */
const LEAKY = /^(ELFSTREAM_|TEMPORAL_)/;

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!LEAKY.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs `elfstream <args>` and resolves when it exits (never rejects on a non-zero exit). */
export function runElfstream(args: readonly string[], opts: CliRunOptions = {}): Promise<CliRun> {
  const argv =
    opts.via === 'bin'
      ? [path.join(REPO_ROOT, 'bin', 'elfstream.js'), ...args]
      : ['--require', 'tsx/cjs', path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args];
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: opts.cwd ?? REPO_ROOT,
      env: cleanEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: Date.now() - started });
    });
  });
}

/** Runs `elfstream <args> --json` and parses stdout; fails with both streams when it is not JSON. */
export async function runElfstreamJson<T = unknown>(
  args: readonly string[],
  opts: CliRunOptions = {},
): Promise<{ run: CliRun; json: T }> {
  const run = await runElfstream([...args, '--json'], opts);
  try {
    return { run, json: JSON.parse(run.stdout) as T };
  } catch {
    throw new Error(
      `elfstream ${args.join(' ')} --json printed no JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`,
    );
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
  everyMs = 1_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
