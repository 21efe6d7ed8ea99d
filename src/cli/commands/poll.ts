import type { Command } from 'commander';
import { pollNowSignal } from '../../workflows/messages';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { configOption } from '../options';
import { println } from '../output';
import { signalSource, viewSource } from '../source-workflow';

/** `elfstream poll <source>`: runs a poll cycle now instead of at the next cron tick. */
export function registerPoll(program: Command, io: CliIo): void {
  program
    .command('poll')
    .description('poll a source now instead of waiting for its next scheduled run (signal pollNow)')
    .argument('<source>', 'source id')
    .addOption(configOption())
    .action(async (id: string, opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      await withClient(config.temporal, async (client) => {
        // A paused source ignores pollNow (and records that as its last error); say so instead of pretending.
        const view = await viewSource(client, source.id, 3_000);
        if (view.running && view.status?.paused) {
          throw new CliError(
            `${source.id} is paused, so it would ignore pollNow; run \`elfstream resume ${source.id}\` first`,
            ExitCode.failure,
          );
        }
        await signalSource(client, source.id, pollNowSignal);
      });
      println(io.stdout, `${source.id}: pollNow sent; a cycle starts as soon as the current one (if any) is done`);
    });
}
