import { execFile, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes';

export interface DevServerOptions {
  /** Path of the `temporal` CLI (see scripts/temporal-cli.js). */
  cliPath: string;
  ip?: string;
  /** gRPC port; a free one when omitted. */
  port?: number;
  /** Web UI port; a free one when omitted. Ignored when `headless`. */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file for persistence across restarts; in memory when omitted. */
  dbFilename?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Where the server's own output goes; discarded when omitted. */
  output?: NodeJS.WritableStream;
  /**
   * Retention of the namespace, in days. Default {@link DEV_RETENTION_DAYS}: the dev server's own default (1 day)
   * would make backfills of the org's default 30 days refuse (the ledger would forget files after a day).
   */
  retentionDays?: number;
}

/** The default 30-day EventLogFile retention plus elfstream's 2-day margin (see docs/retention.md). */
export const DEV_RETENTION_DAYS = 32;

export interface DevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  pid: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(ip = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, ip, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForPort(ip: string, port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`temporal server exited with code ${child.exitCode} before it listened`);
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, ip);
      sock.once('connect', () => (sock.destroy(), resolve(true)));
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`temporal server did not listen on ${ip}:${port} within ${timeoutMs} ms`);
}

/**
 * Starts `temporal server start-dev` with elfstream's search attributes registered, and waits until its frontend
 * answers. The returned `stop` sends SIGTERM and waits for the process to exit.
 */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ip = opts.ip ?? '127.0.0.1';
  const port = opts.port ?? (await freePort(ip));
  const namespace = opts.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', opts.logLevel ?? 'error'];
  let uiUrl: string | undefined;
  if (opts.headless) {
    args.push('--headless');
  } else {
    const uiPort = opts.uiPort ?? (await freePort(ip));
    args.push('--ui-port', String(uiPort), '--ui-ip', ip);
    uiUrl = `http://${ip}:${uiPort}`;
  }
  if (opts.dbFilename) args.push('--db-filename', opts.dbFilename);
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) args.push('--search-attribute', `${name}=${type}`);

  // Its own process group: a terminal's Ctrl-C must not stop the server before the worker has drained.
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (opts.output) {
    child.stdout?.pipe(opts.output, { end: false });
    child.stderr?.pipe(opts.output, { end: false });
  } else {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  try {
    await waitForPort(ip, port, child, 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  try {
    await setRetention(opts.cliPath, `${ip}:${port}`, namespace, opts.retentionDays ?? DEV_RETENTION_DAYS);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    address: `${ip}:${port}`,
    uiUrl,
    namespace,
    pid: child.pid ?? -1,
    process: child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Sets the namespace's retention with the CLI; retried while the just-started server does not serve it yet. */
async function setRetention(cliPath: string, address: string, namespace: string, days: number): Promise<void> {
  const args = [
    'operator',
    'namespace',
    'update',
    '-n',
    namespace,
    '--retention',
    `${days * 24}h`,
    '--address',
    address,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      await promisify(execFile)(cliPath, args);
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
