/** The `elfstream` command line: the program, its commands, and how errors become exit codes. */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { registerBackfill } from './commands/backfill';
import { registerDev } from './commands/dev';
import { registerPause, registerResume } from './commands/pause-resume';
import { registerPoll } from './commands/poll';
import { registerRetry } from './commands/retry';
import { registerSetup } from './commands/setup';
import { registerSim } from './commands/sim';
import { registerStart } from './commands/start';
import { registerStatus } from './commands/status';
import { registerStop } from './commands/stop';
import { registerUi } from './commands/ui';
import { registerVerify } from './commands/verify';
import { registerWorker } from './commands/worker';
import type { CliIo } from './context';
import { toCliError } from './context';
import { EXIT_CODES_HELP } from './exit-codes';
import { println } from './output';

const ENVIRONMENT_HELP = [
  'Environment:',
  '  ELFSTREAM_CONFIG     configuration file (default ./elfstream.yaml; --config wins)',
  '  TEMPORAL_ADDRESS     Temporal frontend host:port, over temporal.address',
  '  TEMPORAL_NAMESPACE   Temporal namespace, over temporal.namespace',
  '  TEMPORAL_API_KEY, TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY, TEMPORAL_TLS_CA   Temporal Cloud / mTLS',
].join('\n');

/**
 * Builds the program. Settings that subcommands inherit (exit override, output) are set before the commands are
 * added, because Commander copies them into each subcommand when it is created.
 */
export function createProgram(io: CliIo): Command {
  const program = new Command('elfstream')
    .description('Durable ingestion of Salesforce Event Monitoring logs (EventLogFile) with Temporal')
    .version(packageVersion(), '-V, --version')
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
    });
  program.addHelpText(
    'after',
    `\nStart here: \`elfstream dev\` (or \`npm start\`) runs a local demo.\n\n${ENVIRONMENT_HELP}\n\n${EXIT_CODES_HELP}`,
  );

  for (const register of [
    registerDev,
    registerWorker,
    registerSetup,
    registerVerify,
    registerStart,
    registerStatus,
    registerUi,
    registerBackfill,
    registerRetry,
    registerPause,
    registerResume,
    registerPoll,
    registerStop,
    registerSim,
  ]) {
    register(program, io);
  }
  for (const cmd of program.commands) {
    if (cmd.name() !== 'sim') cmd.addHelpText('after', `\n${EXIT_CODES_HELP}`);
  }
  return program;
}

/**
 * Runs the command line `argv` (as `process.argv`: node, script, args...) and returns the exit code. Never throws:
 * every failure is printed as `error: <message>` on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    const e = toCliError(err);
    if (e.message) println(io.stderr, `error: ${e.message}`);
    return e.exitCode;
  }
}

function packageVersion(): string {
  // src/cli and lib/cli are both two levels below the package root.
  try {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
