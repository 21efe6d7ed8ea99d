/** Following a configuration file while a worker runs: each change is loaded and validated before it applies. */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors';
import { loadConfig, type LoadConfigOptions } from './load';
import type { ElfstreamConfig } from './types';

export interface ConfigWatchHandlers {
  /** A changed file that is valid. */
  onConfig(config: ElfstreamConfig): void;
  /** A changed file that is not: the message says why (never a secret); the previous configuration stays. */
  onInvalid(message: string): void;
}

/**
 * Polls the file's modification time (`fs.watchFile`: unlike `fs.watch` it follows editors that replace the file
 * and mounted volumes such as Kubernetes ConfigMaps). Returns a function that stops watching.
 */
export function watchConfigFile(
  options: LoadConfigOptions & { path: string },
  handlers: ConfigWatchHandlers,
  intervalMs = 2_000,
): () => void {
  const file = path.resolve(options.cwd ?? process.cwd(), options.path);
  const listener = (curr: fs.Stats, prev: fs.Stats): void => {
    if (curr.mtimeMs === prev.mtimeMs && curr.size === prev.size) return;
    try {
      handlers.onConfig(loadConfig(options));
    } catch (err) {
      handlers.onInvalid(err instanceof ConfigError ? err.message : String(err));
    }
  };
  fs.watchFile(file, { interval: intervalMs, persistent: false }, listener);
  return () => fs.unwatchFile(file, listener);
}
