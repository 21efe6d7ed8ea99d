/** `loadConfig`: finds, reads and parses the configuration file of a worker or CLI run. */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors';
import type { Env } from './interpolate';
import { parseConfig } from './parse-config';
import type { ReadFile } from './secrets';
import type { ElfstreamConfig } from './types';

/** The file read when neither an argument nor `ELFSTREAM_CONFIG` names one. */
export const DEFAULT_CONFIG_PATH = 'elfstream.yaml';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The configuration file (e.g. from `--config`). Default: `ELFSTREAM_CONFIG`, else `./elfstream.yaml`. */
  path?: string;
  /** Environment for `${VAR}`, `ELFSTREAM_CONFIG` and the TEMPORAL_* overrides. Default: `process.env`. */
  env?: Env;
  /** Folder relative paths are relative to. Default: `process.cwd()`. */
  cwd?: string;
  /** Reads the configuration file and secret files. Default: `fs.readFileSync`. */
  readFile?: ReadFile;
}

/**
 * Reads and parses the configuration file: the one named by `options.path`, else by `ELFSTREAM_CONFIG`, else
 * `./elfstream.yaml`. See {@link parseConfig} for what parsing does.
 *
 * @throws {@link ConfigError} when the file cannot be read or is not valid, listing every problem.
 */
export function loadConfig(options: LoadConfigOptions = {}): ElfstreamConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const readFile = options.readFile ?? ((file: string) => fs.readFileSync(file));
  const fromEnv = env.ELFSTREAM_CONFIG === '' ? undefined : env.ELFSTREAM_CONFIG;
  const file = options.path ?? fromEnv ?? DEFAULT_CONFIG_PATH;
  const absolute = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFile(absolute).toString();
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    const why =
      code === 'ENOENT'
        ? `no such file (${absolute}); name the configuration file with --config or ELFSTREAM_CONFIG`
        : code === 'EISDIR'
          ? `${absolute} is a directory`
          : code === 'EACCES' || code === 'EPERM'
            ? `permission denied (${absolute})`
            : `cannot read ${absolute} (${typeof code === 'string' ? code : 'read failed'})`;
    throw new ConfigError(file, [{ path: '(file)', message: why }]);
  }
  return parseConfig(text.replace(/^\uFEFF/, ''), { path: file, env, cwd, readFile });
}
