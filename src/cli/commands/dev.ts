import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Command } from 'commander';
import { demoConfig, demoConfigYaml, type DemoConfigParams } from '../../config';
import type { ElfstreamConfig, OutputConfig, SourceConfig } from '../../config/types';
import type { Simulator, SimulatorOptions } from '@elfstream/salesforce-simulator';
import type { LogSink } from '../../sinks/types';
import type { DevServer } from '../../temporal/dev-server';
import type { CliIo, ConfigOptions } from '../context';
import { connectCliClient, loadCliConfig } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { devServer, elfstreamWorker, simulator, temporalRuntime, workerConnection } from '../lazy';
import { configOption, parsePort } from '../options';
import { LiveLines, println } from '../output';
import { statusLine, viewSource } from '../source-workflow';
import { startRealtime } from '../realtime-workflow';
import { startSource } from '../start-sources';

interface DevOptions extends ConfigOptions {
  port: number;
  uiPort: number;
  state: string;
  withSimulator?: boolean;
}

/** Where `dev` keeps what outlives a run (relative to the working folder, git-ignored). */
const STATE_DIR = '.elfstream';
const DEV_IP = '127.0.0.1';
const REFRESH_MS = 1_000;
/** Signals closer than this to the first one are the same Ctrl-C delivered twice. */
const DUPLICATE_SIGNAL_MS = 1_500;

/**
 * The demo's simulated org: a fixed seed, so every run sees the same org and files; two days of history, so that
 * the source (which starts 24 h back by default) finds files on its first cycle; a real clock, so new hourly files
 * keep appearing while the demo runs.
 */
const DEMO_SIMULATOR = { seed: 42, days: 2, clock: 'real' } as const;
/** The demo polls every minute so the live view moves; real sources poll every 15 minutes by default. */
const DEMO_SCHEDULE = '* * * * *';

/** `elfstream dev`: the all-in-one demo (Temporal dev server, Salesforce simulator, worker, sources). */
export function registerDev(program: Command, io: CliIo): void {
  program
    .command('dev')
    .summary('run everything locally (the demo): Temporal dev server, simulator, worker, live progress')
    .description(
      'Run everything locally: a Temporal dev server with its Web UI, the Salesforce simulator, a worker in this ' +
        'process, and every source started; shows live progress until Ctrl-C.',
    )
    .addOption(configOption())
    .option('--port <port>', 'Temporal gRPC port (another free one when taken)', parsePort, 7233)
    .option('--ui-port <port>', 'Temporal Web UI port (another free one when taken)', parsePort, 8233)
    .option('--state <dir>', "folder for the dev server's database and the demo configuration", STATE_DIR)
    .option(
      '--with-simulator',
      'with --config: also start the simulator at the loginUrl of sources that point at 127.0.0.1/localhost',
    )
    .addHelpText(
      'after',
      '\nWithout --config (or ELFSTREAM_CONFIG), dev runs a demo configuration against the embedded simulator\n' +
        '(seed 42, two days of logs) and writes events to ./data/events. It saves that configuration as\n' +
        '<state>/demo.yaml, so other commands can talk to the demo from a second terminal, e.g.\n' +
        '  elfstream status -c .elfstream/demo.yaml\n' +
        '  elfstream backfill demo-org -c .elfstream/demo.yaml --from <2 days ago> --to <1 day ago> --wait\n' +
        'The Temporal state lives in <state>/temporal.db: a restart continues where the last run stopped.\n' +
        'Delete .elfstream/ and data/ to start afresh. Ctrl-C stops the worker (letting activities finish\n' +
        'their current chunk), then the simulator, then the dev server.',
    )
    .action(async (opts: DevOptions) => {
      await runDev(io, opts);
    });
}

/** What `dev` started, stopped in reverse order. */
interface Running {
  simulators: Simulator[];
  devServer?: DevServer;
  connection?: NativeConnection;
  client?: Client;
  worker?: Worker;
  workerRun?: Promise<void>;
  sink?: LogSink;
  /** The live view's loop: its last status query must end before the client's connection closes. */
  progress?: Promise<void>;
}

async function runDev(io: CliIo, opts: DevOptions): Promise<void> {
  const explicit = await loadExplicitConfig(io, opts);
  const { startSimulator } = simulator();
  const { connectWorker } = workerConnection();
  const { startDevServer } = devServer();
  const { installRuntime } = temporalRuntime();
  const { createElfstreamWorker } = elfstreamWorker();
  const stateDir = path.resolve(io.cwd, opts.state);
  fs.mkdirSync(stateDir, { recursive: true });
  const running: Running = { simulators: [] };
  const live = new LiveLines(io.stdout);
  let stopping: Promise<void> | undefined;
  let firstSignalAt: number | undefined;
  const stop = (): Promise<void> => (stopping ??= shutdown(io, live, running));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstSignalAt === undefined) {
      firstSignalAt = Date.now();
      live.log(`${signal}: stopping (Ctrl-C again to exit at once)`);
      void stop();
      return;
    }
    // One Ctrl-C can arrive twice: from the terminal and relayed by a parent such as tsx or npm.
    if (Date.now() - firstSignalAt < DUPLICATE_SIGNAL_MS) return;
    // A second Ctrl-C: the user does not want to wait for the graceful path.
    live.log(`${signal} again: exiting now`);
    running.devServer?.process.kill('SIGKILL');
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    // 1. The Salesforce side: the demo's simulator, or the one a local configuration asks for.
    let config: ElfstreamConfig;
    let demoNote: string | undefined;
    if (explicit) {
      if (opts.withSimulator) {
        running.simulators.push(...(await startConfiguredSimulators(io, explicit, startSimulator)));
        demoNote = `simulator at ${running.simulators.map((s) => s.url).join(', ')}`;
      }
      config = explicit;
    } else {
      const sim = await startSimulator({ ...DEMO_SIMULATOR });
      running.simulators.push(sim);
      demoNote = `simulator at ${sim.url} (org ${sim.orgId}, seed ${DEMO_SIMULATOR.seed}, ${DEMO_SIMULATOR.days} days of logs)`;
      config = demoConfig(demoParams(io, sim, undefined));
    }
    if (stopping) return await stopping;

    // 2. Temporal: the dev server, persisted under the state folder so a restart continues where it stopped.
    const cliPath = resolveTemporalCli();
    const port = await portOrFree(opts.port, 'Temporal gRPC', io);
    const uiPort = await portOrFree(opts.uiPort, 'Temporal Web UI', io);
    const dbFilename = path.join(stateDir, 'temporal.db');
    const serverLog = fs.createWriteStream(path.join(stateDir, 'temporal-server.log'), { flags: 'a' });
    println(io.stdout, `starting the Temporal dev server (${path.relative(io.cwd, dbFilename) || dbFilename}) …`);
    running.devServer = await startDevServer({
      cliPath,
      ip: DEV_IP,
      port,
      uiPort,
      dbFilename,
      namespace: config.temporal.namespace,
      logLevel: 'warn',
      output: serverLog,
    });
    if (stopping) return await stopping;
    const address = running.devServer.address;
    if (explicit && explicit.temporal.address !== address) {
      println(
        io.stdout,
        `note: dev uses its own server at ${address}, not temporal.address (${explicit.temporal.address})`,
      );
    }
    config = { ...config, temporal: { ...config.temporal, address, apiKey: undefined, tls: undefined } };
    const demoFile = explicit ? undefined : writeDemoConfig(io, stateDir, running.simulators[0], address);

    // 3. The worker, in this process. WARN keeps the SDK quiet enough for the live view.
    installRuntime({ logLevel: 'WARN' });
    println(io.stdout, 'starting the worker (bundling the workflows takes a few seconds) …');
    running.connection = await connectWorker(config.temporal);
    running.client = await connectCliClient(config.temporal);
    const created = await createElfstreamWorker({
      config,
      connection: running.connection,
      client: running.client,
      identity: `elfstream-dev@${os.hostname()}:${process.pid}`,
    });
    running.worker = created.worker;
    running.sink = created.sink;
    if (stopping) return await stopping;
    running.workerRun = created.worker.run();
    running.workerRun.catch(() => undefined); // reported by shutdown()

    // 4. The sources: started like `elfstream start` (a restart finds them running and leaves them be).
    for (const source of config.sources) {
      const r = await startSource(running.client, config, source);
      println(
        io.stdout,
        `${source.id}: ${r.alreadyRunning ? 'already running, continuing' : 'started'} (${r.workflowId})`,
      );
      if (!source.realtime) continue;
      const rt = await startRealtime(running.client, config, source);
      println(
        io.stdout,
        `${source.id}: real-time channel ${rt.alreadyRunning ? 'already running' : 'started'} (${rt.workflowId})`,
      );
    }

    const ui = running.devServer.uiUrl;
    println(io.stdout);
    println(io.stdout, 'elfstream dev is running');
    if (ui)
      println(
        io.stdout,
        `  Temporal Web UI  ${ui}/namespaces/${encodeURIComponent(config.temporal.namespace)}/workflows`,
      );
    println(
      io.stdout,
      `  Temporal server  ${address} (namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue})`,
    );
    if (demoNote) println(io.stdout, `  Salesforce       ${demoNote}`);
    println(io.stdout, `  Events           ${describeOutput(io, config.output, created.sink)}`);
    if (demoFile) {
      println(io.stdout, `  Configuration    ${demoFile} (for elfstream status/backfill/pause … -c ${demoFile})`);
      // Dates the simulated org has files for: a backfill of yesterday, as a second terminal would type it.
      const today = new Date().toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 24 * 3600_000).toISOString().slice(0, 10);
      const sourceId = config.sources[0]?.id ?? 'demo-org';
      println(io.stdout, `  Try              ./run elfstream status -c ${demoFile}`);
      println(
        io.stdout,
        `                   ./run elfstream backfill ${sourceId} --from ${yesterday} --to ${today} --wait -c ${demoFile}`,
      );
    }
    println(io.stdout, '  Stop             Ctrl-C');
    println(io.stdout);

    // 5. Live progress until a signal (or the worker dies on its own).
    running.progress = progressLoop(live, running.client, config.sources, () => stopping !== undefined);
    await Promise.race([running.progress, running.workerRun]);
    await stop();
  } catch (err) {
    await stop();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The configuration `dev` was pointed at, or undefined for the demo (`--config` / `ELFSTREAM_CONFIG` only). */
async function loadExplicitConfig(io: CliIo, opts: DevOptions): Promise<ElfstreamConfig | undefined> {
  if (!opts.config) {
    if (opts.withSimulator)
      throw new CliError('--with-simulator needs --config (the demo has its simulator anyway)', ExitCode.usage);
    return undefined;
  }
  return loadCliConfig(io, opts);
}

function demoParams(io: CliIo, sim: Simulator, address: string | undefined): DemoConfigParams {
  return {
    simulatorUrl: sim.instanceUrl,
    credentials: sim.credentials,
    cwd: io.cwd,
    ...(address ? { temporal: { address } } : {}),
    source: { schedule: DEMO_SCHEDULE },
  };
}

/**
 * Saves the demo configuration so a second terminal can use the other commands on the demo. It holds the
 * simulator's demo credentials, which are no secret; the file lives in the git-ignored state folder.
 */
function writeDemoConfig(io: CliIo, stateDir: string, sim: Simulator | undefined, address: string): string | undefined {
  if (!sim) return undefined;
  const file = path.join(stateDir, 'demo.yaml');
  // Relative paths in a configuration file resolve against its folder: name the data folder absolutely.
  const params = { ...demoParams(io, sim, address), dataDir: path.resolve(io.cwd, 'data/events') };
  fs.writeFileSync(file, demoConfigYaml(params), { mode: 0o600 });
  return path.relative(io.cwd, file) || file;
}

/**
 * With `--with-simulator`: one simulator per loopback login URL of the configuration, on that URL's port, accepting
 * the credentials the sources use there (so the configuration needs no change to talk to it).
 */
async function startConfiguredSimulators(
  io: CliIo,
  config: ElfstreamConfig,
  startSimulator: (o: SimulatorOptions) => Promise<Simulator>,
): Promise<Simulator[]> {
  const byPort = new Map<number, SourceConfig>();
  for (const source of config.sources) {
    const url = new URL(source.salesforce.loginUrl);
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) continue;
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    if (url.protocol !== 'http:') {
      throw new CliError(
        `${source.id}: the simulator serves http, not ${url.protocol} (${source.salesforce.loginUrl})`,
        ExitCode.usage,
      );
    }
    if (!byPort.has(port)) byPort.set(port, source);
  }
  if (byPort.size === 0) {
    throw new CliError(
      `--with-simulator: no source of ${config.configPath} has a loginUrl on 127.0.0.1 or localhost`,
      ExitCode.usage,
    );
  }
  const started: Simulator[] = [];
  for (const [port, source] of byPort) {
    const auth = source.salesforce.auth;
    const credentials = {
      ...('username' in auth ? { username: auth.username } : {}),
      ...('password' in auth ? { password: auth.password, securityToken: auth.securityToken } : {}),
      ...('clientId' in auth ? { clientId: auth.clientId } : {}),
      ...('clientSecret' in auth ? { clientSecret: auth.clientSecret } : {}),
    };
    const sim = await startSimulator({ ...DEMO_SIMULATOR, port, credentials });
    started.push(sim);
    println(io.stdout, `simulator at ${sim.url} for ${source.id} (org ${sim.orgId})`);
  }
  return started;
}

/** The Temporal CLI of scripts/temporal-cli.js (installed into .tools/ on first use). Loaded lazily: only `dev` needs it. */
function resolveTemporalCli(): string {
  const script = path.resolve(__dirname, '../../../scripts/temporal-cli.js');
  if (!fs.existsSync(script)) {
    throw new CliError(
      'elfstream dev needs scripts/temporal-cli.js from a source checkout (this installation has none); run a\n' +
        'Temporal server yourself and use `elfstream worker` and `elfstream start` instead',
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(script) as { resolveTemporalCli(o?: { install?: boolean }): string };
  try {
    return mod.resolveTemporalCli({ install: true });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/** `preferred` when nothing listens there, else a free port (and says so). */
async function portOrFree(preferred: number, what: string, io: CliIo): Promise<number> {
  if (await isFree(preferred)) return preferred;
  const { freePort } = devServer();
  const port = await freePort(DEV_IP);
  println(io.stdout, `${what} port ${preferred} is taken; using ${port}`);
  return port;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, DEV_IP, () => srv.close(() => resolve(true)));
  });
}

function describeOutput(io: CliIo, output: OutputConfig, sink: LogSink): string {
  if (output.type === 'file') {
    const rel = path.relative(io.cwd, output.dir);
    const shown = rel && !rel.startsWith('..') ? `./${rel}` : output.dir;
    return `${shown} (${output.gzip ? 'gzipped ' : ''}NDJSON)`;
  }
  return sink.describe();
}

/** Redraws one line per source every second from its `status` query, until `stopped()`. */
async function progressLoop(
  live: LiveLines,
  client: Client,
  sources: readonly SourceConfig[],
  stopped: () => boolean,
): Promise<void> {
  const idWidth = Math.max(...sources.map((s) => s.id.length));
  while (!stopped()) {
    const views = await Promise.all(
      sources.map((s) =>
        viewSource(client, s.id, 5_000).catch((err: unknown) => ({
          sourceId: s.id,
          running: true as const,
          runId: '',
          problem: err instanceof Error ? err.message : String(err),
        })),
      ),
    );
    if (stopped()) break;
    live.update(views.map((v) => statusLine(v, idWidth)));
    await new Promise((r) => setTimeout(r, REFRESH_MS));
  }
}

/** Stops what runs, in order: the worker (gracefully), then the simulators, then the dev server. */
async function shutdown(io: CliIo, live: LiveLines, r: Running): Promise<void> {
  live.done();
  const problems: string[] = [];
  const step = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  if (r.worker) {
    println(io.stdout, 'stopping the worker (running activities finish their current chunk) …');
    const worker = r.worker;
    if (!r.workerRun) {
      // Created but never run (stopped during start-up): running it until at once lets it release its connection.
      await step('worker', () => worker.runUntil(Promise.resolve()));
    } else {
      // The runtime may have begun the shutdown on the same signal already.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await step('worker', () => r.workerRun ?? Promise.resolve());
    }
  }
  if (r.sink) await step('sink', () => r.sink!.close());
  // A query still under way would have the client retry on a closed channel (an uncaught error in a timer).
  if (r.progress) await step('live view', () => r.progress!);
  if (r.client) await step('client', () => r.client!.connection.close());
  if (r.connection) await step('connection', () => r.connection!.close());
  if (r.simulators.length > 0) println(io.stdout, 'stopping the simulator …');
  for (const sim of r.simulators) await step('simulator', () => sim.close());
  if (r.devServer) {
    println(io.stdout, 'stopping the Temporal dev server …');
    await step('dev server', () => r.devServer!.stop());
  }
  for (const p of problems) println(io.stderr, `while stopping, ${p}`);
  println(io.stdout, 'stopped');
}
