/** Options and argument parsers that several commands share, so they read and validate the same everywhere. */
import { InvalidArgumentError, Option } from 'commander';

/** `-c, --config <path>`, defaulting to `ELFSTREAM_CONFIG`. */
export function configOption(): Option {
  return new Option('-c, --config <path>', 'configuration file (elfstream.yaml)').env('ELFSTREAM_CONFIG');
}

/** `--json`: machine-readable output instead of text. */
export function jsonOption(): Option {
  return new Option('--json', 'print JSON instead of text');
}

/** Parses a TCP port (1-65535); a bad value is a usage error (exit code 2). */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number (1-65535)');
  return n;
}
