import os from 'node:os';
import type { Command } from 'commander';
import { watchConfigFile } from '../../config/watch';
import type { LogSink } from '../../sinks/types';
import type { CliIo, ConfigOptions } from '../context';
import { connectCliClient, loadCliConfig } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { elfstreamWorker, sinks, temporalRuntime, workerConnection } from '../lazy';
import { configOption } from '../options';
import { formatCount, println } from '../output';

const REPORT_EVERY_MS = 60_000;

/** `elfstream worker`: runs a worker for the configuration until SIGINT or SIGTERM. */
export function registerWorker(program: Command, io: CliIo): void {
  program
    .command('worker')
    .description('run a worker: it executes the source workflows and ingests files (until SIGINT/SIGTERM)')
    .addOption(configOption())
    .addHelpText(
      'after',
      '\nRun as many workers as you like on the same task queue: Temporal spreads the work across them. On\n' +
        'SIGINT/SIGTERM the worker stops polling and lets running activities finish their current chunk\n' +
        '(up to 30 s); whatever is cut short resumes from its last committed chunk elsewhere.\n' +
        'Prometheus metrics are served on metrics.port (/metrics) when the configuration sets one.\n' +
        'A change to the configuration file applies from the next activity without a restart (a file that is\n' +
        'not valid is reported and the previous configuration kept); output, temporal and metrics need one.',
    )
    .action(async (opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      if (config.sources.length === 0) {
        throw new CliError(
          `${config.configPath} defines no sources: the worker would have nothing to do`,
          ExitCode.usage,
        );
      }
      const { connectWorker } = workerConnection();
      const { installRuntime } = temporalRuntime();
      const { createSink } = sinks();
      const { createElfstreamWorker } = elfstreamWorker();
      // Before any connection: the runtime owns logging, metrics and the SIGINT/SIGTERM handling of workers.
      installRuntime({ metricsPort: config.metrics.port });
      const t = config.temporal;
      const connection = await connectWorker(t).catch((err: unknown) => {
        throw new CliError(err instanceof Error ? err.message : String(err), ExitCode.temporalUnreachable);
      });
      const client = await connectCliClient(t);
      try {
        const counts = { files: 0, rows: 0 };
        const sink = countingSink(createSink(config.output), counts);
        const { worker, reloadConfig } = await createElfstreamWorker({
          config,
          connection,
          client,
          sink,
          identity: `elfstream-worker@${os.hostname()}:${process.pid}`,
        });
        const ids = config.sources.map((s) => s.id).join(', ');
        println(io.stdout, `worker started: namespace ${t.namespace} at ${t.address}, task queue ${t.taskQueue}`);
        println(io.stdout, `sources (${config.sources.length}): ${ids}`);
        println(io.stdout, `events go to: ${sink.describe()}`);
        if (config.metrics.port) println(io.stdout, `metrics: http://0.0.0.0:${config.metrics.port}/metrics`);
        // A line a minute while files come in: enough to see a healthy worker in its logs, silent when idle.
        let reported = { ...counts };
        const timer = setInterval(() => {
          if (counts.files === reported.files) return;
          println(
            io.stdout,
            `ingested ${formatCount(counts.files - reported.files)} files, ${formatCount(counts.rows - reported.rows)} events ` +
              `in the last minute (${formatCount(counts.files)} files, ${formatCount(counts.rows)} events since start)`,
          );
          reported = { ...counts };
        }, REPORT_EVERY_MS);
        timer.unref();
        const unwatch = watchConfigFile(
          { path: config.configPath, env: io.env, cwd: io.cwd },
          {
            onConfig(next) {
              const waiting = reloadConfig(next);
              const ids = next.sources.map((s) => s.id).join(', ');
              println(
                io.stdout,
                `configuration reloaded from ${config.configPath}: sources (${next.sources.length}): ${ids}`,
              );
              if (waiting.length > 0)
                println(io.stdout, `changes to ${waiting.join(', ')} apply when the worker restarts`);
            },
            onInvalid(message) {
              println(io.stderr, `configuration not reloaded, the previous one stays in use:\n${message}`);
            },
          },
        );
        try {
          await worker.run();
        } finally {
          unwatch();
          clearInterval(timer);
          await sink.close();
        }
        println(
          io.stdout,
          `worker stopped: ${formatCount(counts.files)} files, ${formatCount(counts.rows)} events ingested by this process`,
        );
      } finally {
        await client.connection.close().catch(() => undefined);
        await connection.close().catch(() => undefined);
      }
    });
}

/** The configured sink, counting the files it completes and their rows (for the worker's log lines). */
function countingSink(inner: LogSink, counts: { files: number; rows: number }): LogSink {
  return {
    kind: inner.kind,
    openChunk: (file, chunk) => inner.openChunk(file, chunk),
    async completeFile(file, summary) {
      await inner.completeFile(file, summary);
      counts.files += 1;
      counts.rows += summary.rows;
    },
    describe: () => inner.describe(),
    close: () => inner.close(),
  };
}
