/**
 * Entry point of the `elfstream` command (`bin/elfstream.js`, `npm start`): runs the command line and exits with
 * its code. Everything else lives in ./program and ./commands.
 */
import { runCli } from './program';

/** Runs `argv` against the real process and exits with the command's exit code. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
  // Open handles (a gRPC channel being torn down, the Temporal runtime) must not keep a finished command alive;
  // the timer is unref'd, so a process that can exit on its own still does so at once.
  setTimeout(() => process.exit(code), 200).unref();
}

if (require.main === module) void main();
