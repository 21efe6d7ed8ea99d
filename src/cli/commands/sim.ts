import type { Command } from 'commander';
import { CommanderError } from 'commander';
import type { CliIo } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { simulator } from '../lazy';

/** `elfstream sim [options]`: the Salesforce simulator on its own; its options are the simulator CLI's. */
export function registerSim(program: Command, _io: CliIo): void {
  program
    .command('sim')
    .description('run the Salesforce simulator on its own (`elfstream sim --help` lists its options)')
    .argument('[options...]', 'options of the simulator')
    // Everything after `sim` belongs to the simulator, --help included.
    .helpOption(false)
    .allowUnknownOption()
    .passThroughOptions()
    .action(async (args: string[]) => {
      const { runSimulatorCli } = simulator();
      try {
        await runSimulatorCli(args);
      } catch (err) {
        if (!(err instanceof CommanderError)) throw err;
        if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return;
        // Commander printed the errors it found while parsing (they start with "error:"); a check of the
        // simulator's own after parsing was not printed yet.
        throw new CliError(err.message.startsWith('error:') ? '' : err.message, ExitCode.usage);
      }
    });
}
