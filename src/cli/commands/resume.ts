import type { Command } from 'commander';
import { resumeSignal } from '../../workflows/messages';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { configOption } from '../options';
import { println } from '../output';
import { signalSource } from '../source-workflow';

/** `elfstream resume <source>`: a paused source polls again on its schedule. */
export function registerResume(program: Command, io: CliIo): void {
  program
    .command('resume')
    .description('resume a paused source: it polls again on its schedule')
    .argument('<source>', 'source id')
    .addOption(configOption())
    .action(async (id: string, opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      await withClient(config.temporal, (client) => signalSource(client, source.id, resumeSignal));
      println(
        io.stdout,
        `${source.id}: resume sent; it polls on its schedule (\`elfstream poll ${source.id}\` polls now)`,
      );
    });
}
