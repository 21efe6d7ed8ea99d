/**
 * Exit codes of the `elfstream` command. Scripts branch on them, so they are part of the interface: never renumber.
 */
export const ExitCode = {
  /** Done as asked. */
  ok: 0,
  /** The command ran and failed (a Salesforce login was refused, a backfill failed, ...). */
  failure: 1,
  /** Wrong usage or an invalid configuration: fix the command line or the file. */
  usage: 2,
  /** The Temporal server cannot be reached. */
  temporalUnreachable: 3,
  /** A source is unknown to the configuration, or its workflow is not running. */
  notFound: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit codes as `--help` lists them. */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0  ok',
  '  1  failure (the command ran and did not succeed)',
  '  2  usage or configuration error',
  '  3  Temporal server unreachable',
  '  4  not found (unknown source, or its workflow is not running)',
].join('\n');

/**
 * An error the CLI reports as one message (no stack trace) with a chosen exit code. `message` may be empty when the
 * command already printed everything it had to say and only the exit code remains.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;

  constructor(message: string, exitCode: ExitCode = ExitCode.failure) {
    super(message);
    this.exitCode = exitCode;
  }
}
