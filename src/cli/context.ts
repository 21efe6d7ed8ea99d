/**
 * What every command needs around its own work: the configuration (with the Temporal environment variables applied),
 * a Temporal client, sources looked up by id, and errors turned into one message and an exit code.
 */
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { CommanderError } from 'commander';
import { ConfigError, configWarnings, formatIssue, loadConfig } from '../config';
import type { ElfstreamConfig, SourceConfig, TemporalConfig } from '../config/types';
import { CliError, ExitCode } from './exit-codes';
import { temporalConnection } from './lazy';
import type { OutputStream } from './output';

/** The process around a command: injected so the commands never reach for globals on their own. */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The `--config` option every command (but `sim`) takes. */
export interface ConfigOptions {
  config?: string;
}

/**
 * Loads the configuration named by `--config` (or `ELFSTREAM_CONFIG`, else `./elfstream.yaml`); the loader applies
 * `TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE` and the other TEMPORAL_* variables over the file's settings. An invalid
 * file is exit code 2 with the loader's message, which never contains a secret. Warnings (a near miss of a known
 * event type) go to stderr.
 */
export async function loadCliConfig(io: CliIo, opts: ConfigOptions): Promise<ElfstreamConfig> {
  try {
    const config = loadConfig({ path: opts.config || undefined, env: io.env, cwd: io.cwd });
    for (const warning of configWarnings(config))
      io.stderr.write(`warning: ${formatIssue(config.configPath, warning)}\n`);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, ExitCode.usage);
    throw err;
  }
}

/** A client of the configured server; an unreachable server is exit code 3 within the connect timeout (5 s). */
export async function connectCliClient(t: TemporalConfig): Promise<Client> {
  const { connectClient } = temporalConnection();
  try {
    return await connectClient(t);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), ExitCode.temporalUnreachable);
  }
}

/** Runs `fn` with a client and closes the connection afterwards, so the process can exit on its own. */
export async function withClient<T>(t: TemporalConfig, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectCliClient(t);
  try {
    return await fn(client);
  } finally {
    await client.connection.close().catch(() => undefined);
  }
}

/** The source with this id; an unknown id is exit code 4, naming the ones the file defines. */
export function findSource(config: ElfstreamConfig, id: string): SourceConfig {
  const source = config.sources.find((s) => s.id === id);
  if (!source) throw new CliError(unknownSourceMessage(config, id), ExitCode.notFound);
  return source;
}

/** The named sources in the order given, or every source when none is named. */
export function selectSources(config: ElfstreamConfig, ids: readonly string[]): SourceConfig[] {
  if (ids.length === 0) return config.sources;
  const unknown = ids.filter((id) => !config.sources.some((s) => s.id === id));
  if (unknown.length > 0) throw new CliError(unknownSourceMessage(config, ...unknown), ExitCode.notFound);
  return [...new Set(ids)].map((id) => findSource(config, id));
}

function unknownSourceMessage(config: ElfstreamConfig, ...ids: string[]): string {
  const known = config.sources.map((s) => s.id);
  const what =
    ids.length === 1 ? `unknown source "${ids[0]}"` : `unknown sources ${ids.map((i) => `"${i}"`).join(', ')}`;
  return `${what}: ${config.configPath} defines ${known.length > 0 ? known.join(', ') : 'no sources'}`;
}

/** gRPC status codes the CLI tells apart (see @grpc/grpc-js `status`). */
const GRPC_UNAVAILABLE = 14;

/**
 * Turns whatever a command threw into the message and exit code the user sees: usage errors 2, an unreachable
 * server 3, a missing workflow 4, anything else 1. Stack traces are left out on purpose: every expected failure
 * carries a message that says what to do, and an unexpected one is still one line to search for.
 */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ConfigError) return new CliError(err.message, ExitCode.usage);
  if (err instanceof CommanderError) {
    const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version';
    // Commander has printed its own message already.
    return new CliError('', ok ? ExitCode.ok : ExitCode.usage);
  }
  if (err instanceof WorkflowNotFoundError) {
    return new CliError(`workflow ${err.workflowId} is not running`, ExitCode.notFound);
  }
  const cause = err instanceof Error && isGrpcServiceError(err.cause) ? err.cause : err;
  if (isGrpcServiceError(cause) && cause.code === GRPC_UNAVAILABLE) {
    return new CliError(
      `the Temporal server became unreachable: ${cause.details || cause.message}`,
      ExitCode.temporalUnreachable,
    );
  }
  return new CliError(describeError(err), ExitCode.failure);
}

/** An error's message, with the server's own words when the SDK wrapped a gRPC error ("Failed to start Workflow"). */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (isGrpcServiceError(cause) && cause.details && !err.message.includes(cause.details)) {
    const hint = /search attribute/i.test(cause.details)
      ? " (register elfstream's search attributes with `elfstream setup`)"
      : '';
    return `${err.message}: ${cause.details}${hint}`;
  }
  return err.message;
}
