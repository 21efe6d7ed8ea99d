import type { Command } from 'commander';
import { pauseSignal } from '../../workflows/messages';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { configOption } from '../options';
import { println } from '../output';
import { signalSource } from '../source-workflow';

/** `elfstream pause <source>`: no new poll cycle starts until `resume`. */
export function registerPause(program: Command, io: CliIo): void {
  program
    .command('pause')
    .description('pause a source: no new poll cycle starts until `resume` (a cycle under way finishes)')
    .argument('<source>', 'source id')
    .addOption(configOption())
    .action(async (id: string, opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      await withClient(config.temporal, (client) => signalSource(client, source.id, pauseSignal));
      println(
        io.stdout,
        `${source.id}: pause sent; a cycle under way finishes, then the source waits for \`elfstream resume ${source.id}\``,
      );
    });
}
