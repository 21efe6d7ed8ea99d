import type { Command } from 'commander';
import type { CliIo, ConfigOptions } from '../context';
import { loadCliConfig, selectSources, withClient } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { configOption } from '../options';
import { namespaceRetentionMs, retentionWarning } from '../ledger-retention';
import { println } from '../output';
import { startRealtime } from '../realtime-workflow';
import { startSource } from '../start-sources';

/** `elfstream start [source...]`: starts the workflow of each source (all when none is named); idempotent. */
export function registerStart(program: Command, io: CliIo): void {
  program
    .command('start')
    .description('start the workflow of each named source (all configured sources when none is named)')
    .argument('[source...]', 'source ids from the configuration')
    .addOption(configOption())
    .addHelpText(
      'after',
      '\nA source that is already running is left as it is, so running `start` again is safe.\n' +
        'Each source runs as workflow elfstream-source-<id> on the configured task queue; a worker\n' +
        '(`elfstream worker`) does the work.',
    )
    .action(async (ids: string[], opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      const sources = selectSources(config, ids);
      if (sources.length === 0) throw new CliError(`${config.configPath} defines no sources`, ExitCode.notFound);
      await withClient(config.temporal, async (client) => {
        const warning = retentionWarning(config, await namespaceRetentionMs(client, config.temporal.namespace));
        if (warning) println(io.stderr, warning);
        for (const source of sources) {
          const r = await startSource(client, config, source);
          println(
            io.stdout,
            r.alreadyRunning
              ? `${source.id}: already running (${r.workflowId}, run ${r.runId}); left as is`
              : `${source.id}: started ${r.workflowId} (run ${r.runId}) on task queue ${config.temporal.taskQueue}`,
          );
          if (!source.realtime) continue;
          const rt = await startRealtime(client, config, source);
          println(
            io.stdout,
            rt.alreadyRunning
              ? `${source.id}: real-time channel already running (${rt.workflowId}); left as is`
              : `${source.id}: started ${rt.workflowId} (${source.realtime.objects.join(', ')})`,
          );
        }
      });
    });
}
