/** Runs the `elfstream` command as a child process, the way a user or a script does, and collects what it printed. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
/** tsx's CommonJS hook, resolved here: `--require` would resolve it from the child's working folder. */
const TSX_CJS = require.resolve('tsx/cjs');

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
      : ['--require', TSX_CJS, path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args];
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

/** A long-running `elfstream` command (`dev`, `worker`): read its output while it runs, then stop it. */
export interface RunningCli {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves with the output once `pattern` appears in it; rejects when the command exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` and resolves with the exit once the command has exited (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `elfstream <args>` (from the sources, through tsx) and returns at once. */
export function startElfstream(
  args: readonly string[],
  opts: Omit<CliRunOptions, 'via' | 'timeoutMs'> = {},
): RunningCli {
  const child = spawn(
    process.execPath,
    ['--require', TSX_CJS, path.join(REPO_ROOT, 'src', 'cli', 'main.ts'), ...args],
    {
      cwd: opts.cwd ?? REPO_ROOT,
      env: cleanEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (pattern.test(out)) return out;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`elfstream ${args.join(' ')} exited before printing ${pattern}:\n${out}`);
        }
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${pattern} from elfstream ${args.join(' ')}:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async stop(signal = 'SIGINT', graceMs = 60_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
