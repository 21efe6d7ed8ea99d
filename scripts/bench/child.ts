/**
 * Benchmark children: each measurement runs in a process of its own, so its peak RSS belongs to it alone, and
 * reports its result as one `RESULT <json>` line on stdout. The simulator runs in a child too (`READY <json>`).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { peakRssOf, rssSampler } from './proc';

const RESULT_PREFIX = 'RESULT ';
const READY_PREFIX = 'READY ';

/** In a child: prints its result line (parsed by {@link runChild}). */
export function reportResult(value: unknown): void {
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(value)}\n`);
}

/** In a child: its own peak RSS (VmHWM) in bytes, or the current RSS where the kernel does not say. */
export function ownPeakRss(): number {
  return peakRssOf('self') ?? process.memoryUsage().rss;
}

export interface ChildOutcome<T> {
  /** The child's `RESULT` line, if it printed one. */
  result?: T;
  /** Peak RSS of the child process: its VmHWM, sampled every 50 ms (and VmRSS samples where there is no VmHWM). */
  peakRssBytes: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The last lines the child wrote to stderr (for error reports). */
  stderrTail: string;
  wallMs: number;
}

export interface RunChildOptions {
  /** Node options before the script (e.g. `--cpu-prof`). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Killed (SIGKILL) after this long. */
  timeoutMs?: number;
  /** Lines of the child's stdout other than its result (progress), e.g. to forward to stderr. */
  onLine?: (line: string) => void;
}

/** Runs `node [execArgv] script ...args` to its end, sampling its memory meanwhile. Never rejects on exit codes. */
export async function runChild<T>(
  script: string,
  args: string[],
  opts: RunChildOptions = {},
): Promise<ChildOutcome<T>> {
  const started = Date.now();
  const proc = spawn(process.execPath, [...(opts.execArgv ?? []), script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: opts.env ?? process.env,
  });
  const sampler = rssSampler(proc.pid ?? 0);
  let result: T | undefined;
  let stderr = '';
  createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
    else opts.onLine?.(line);
  });
  proc.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-4000);
  });
  const timer = opts.timeoutMs ? setTimeout(() => proc.kill('SIGKILL'), opts.timeoutMs) : undefined;
  const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    proc.once('close', (code, sig) => resolve([code, sig])),
  );
  if (timer) clearTimeout(timer);
  const peakRssBytes = sampler.overall();
  sampler.stop();
  return { result, peakRssBytes, exitCode, signal, stderrTail: stderr.trim(), wallMs: Date.now() - started };
}

/** What the simulator child says when it listens. Its credentials are the simulator's demo values, not secrets. */
export interface SimulatorReady {
  /** The login URL (SOAP login, the peers' jsforce). */
  url: string;
  /** The org's My Domain-style URL (OAuth client credentials, as the demo logs in). */
  instanceUrl: string;
  orgId: string;
  username: string;
  password: string;
  securityToken: string;
  clientId: string;
  clientSecret: string;
  now: string;
}

export interface SimulatorChild extends SimulatorReady {
  proc: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Starts the simulator child (`simulator-child.ts`, compiled or under tsx) and waits until it listens. */
export async function startSimulatorChild(
  script: string,
  args: string[],
  opts: { execArgv?: string[] } = {},
): Promise<SimulatorChild> {
  const proc = spawn(process.execPath, [...(opts.execArgv ?? []), script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const ready = await new Promise<SimulatorReady>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`simulator exited early (${code ?? 'signal'})`));
    proc.once('exit', onExit);
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      proc.removeListener('exit', onExit);
      resolve(JSON.parse(line.slice(READY_PREFIX.length)) as SimulatorReady);
    });
  });
  return {
    ...ready,
    proc,
    pid: proc.pid ?? 0,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** In the simulator child: announces the listening simulator. */
export function reportReady(ready: SimulatorReady): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(ready)}\n`);
}
