import type { Command } from 'commander';
import { retryFileSignal } from '../../workflows/messages';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { configOption } from '../options';
import { println } from '../output';
import { signalSource, viewSource } from '../source-workflow';

/** `elfstream retry <source> <fileId>`: ingests one failed file again, on purpose (signal retryFile). */
export function registerRetry(program: Command, io: CliIo): void {
  program
    .command('retry')
    .description('ingest one failed file of a source again, on purpose (signal retryFile)')
    .argument('<source>', 'source id')
    .argument('<fileId>', 'EventLogFile id, as listed under failedFiles by `elfstream status <source> --json`')
    .addOption(configOption())
    .addHelpText(
      'after',
      '\nA file that failed for good (not an EventLogFile CSV, truncated) is never downloaded again by itself;\n' +
        'retry it once Salesforce serves it whole. The outcome shows in `elfstream status` like any other file.',
    )
    .action(async (id: string, fileId: string, opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      await withClient(config.temporal, async (client) => {
        // The source would only record the mistake as its last error; say it here instead.
        const view = await viewSource(client, source.id, 3_000);
        const failed = view.running ? view.status?.failedFiles : undefined;
        if (failed && !failed.some((f) => f.fileId === fileId)) {
          const known = failed.map((f) => f.fileId).join(', ') || 'none';
          throw new CliError(`${source.id} has no failed file ${fileId} (failed files: ${known})`, ExitCode.notFound);
        }
        await signalSource(client, source.id, retryFileSignal, fileId);
      });
      println(
        io.stdout,
        `${source.id}: retry of ${fileId} requested; \`elfstream status ${source.id}\` shows its outcome`,
      );
    });
}
