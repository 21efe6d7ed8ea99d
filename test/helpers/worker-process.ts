import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { workflowBundlePath } from './temporal';

const ROOT = path.resolve(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves once the worker says it started polling. */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `elfstream worker --config <path>` as a separate process, on the test harness's prebuilt workflow bundle. */
export function startWorkerProcess(
  configPath: string,
  env: Record<string, string> = {},
  logFile?: string,
): WorkerProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/elfstream.js'), 'worker', '--config', configPath], {
    cwd: ROOT,
    env: { ...process.env, ELFSTREAM_WORKFLOW_BUNDLE: workflowBundlePath(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : undefined;
  const onData = (b: Buffer): void => {
    out += b.toString();
    log?.write(b);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (/worker started/.test(out)) {
        clearInterval(timer);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        reject(new Error(`worker exited with ${child.exitCode}:\n${out}`));
      }
    }, 100);
  });
  return {
    child,
    output: () => out,
    ready,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      log?.end();
    },
  };
}
