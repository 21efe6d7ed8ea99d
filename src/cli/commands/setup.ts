import type { Client } from '@temporalio/client';
import { isGrpcServiceError } from '@temporalio/client';
import { InvalidArgumentError, type Command } from 'commander';
import { SEARCH_ATTRIBUTE_TYPES } from '../../workflows/search-attributes';
import type { CliIo, ConfigOptions } from '../context';
import { loadCliConfig, withClient } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { configOption } from '../options';
import { formatDays, namespaceRetentionMs, neededRetentionDays } from '../ledger-retention';
import { println } from '../output';

interface SetupOptions extends ConfigOptions {
  retentionDays?: number;
}

/**
 * Values of `temporal.api.enums.v1.IndexedValueType` for the types elfstream uses. Spelled out here because the
 * enum lives in `@temporalio/proto`, which elfstream does not depend on directly.
 */
const INDEXED_VALUE_TYPE: Record<string, number> = { Text: 1, Keyword: 2, Int: 3, Double: 4, Bool: 5, Datetime: 6 };
const TYPE_NAME = Object.fromEntries(Object.entries(INDEXED_VALUE_TYPE).map(([name, n]) => [n, name]));

type Long = NonNullable<NonNullable<RegisterNamespaceRequest['workflowExecutionRetentionPeriod']>['seconds']>;
type RegisterNamespaceRequest = Parameters<Client['connection']['workflowService']['registerNamespace']>[0];

/** gRPC status codes (see @grpc/grpc-js `status`). */
const GRPC = { notFound: 5, alreadyExists: 6, permissionDenied: 7, unimplemented: 12 } as const;

const DAY_MS = 24 * 3_600_000;

/** A namespace just registered is served once the frontend's namespace cache refreshed (about 10 s). */
const NEW_NAMESPACE_WAIT_MS = 60_000;

/** `elfstream setup`: creates the namespace when missing and registers elfstream's search attributes; idempotent. */
export function registerSetup(program: Command, io: CliIo): void {
  program
    .command('setup')
    .summary("prepare a namespace: create it if missing, register elfstream's search attributes")
    .description(
      'Prepare a Temporal namespace for elfstream: create it when it is missing, give it a retention that covers the ' +
        "furthest a backfill can reach (the sources' retention plus 2 days: the ledger of ingested files lives that " +
        "long), and register elfstream's search attributes (ElfSourceId, ElfEventType, ElfLogDate).",
    )
    .addOption(configOption())
    .option(
      '--retention-days <days>',
      'namespace retention (default: the longest sources[].retention + 2 days); a shorter one is raised to it',
      parseDays,
    )
    .addHelpText(
      'after',
      '\nRun once per namespace of a self-hosted cluster (the dev server of `elfstream dev` has everything).\n' +
        'What exists is left alone, so running it again is safe. On Temporal Cloud, create the namespace and the\n' +
        'search attributes with `tcld` or in the Cloud UI instead.',
    )
    .action(async (opts: SetupOptions) => {
      const config = await loadCliConfig(io, opts);
      const { namespace } = config.temporal;
      const retentionDays = opts.retentionDays ?? neededRetentionDays(config);
      await withClient(config.temporal, async (client) => {
        const created = await ensureNamespace(client, namespace, retentionDays);
        if (created) println(io.stdout, `namespace ${namespace}: created (retention ${retentionDays} days)`);
        else println(io.stdout, await ensureRetention(client, namespace, retentionDays));
        const existing = await listAttributes(client, namespace, created);
        const missing: Record<string, number> = {};
        const conflicts: string[] = [];
        for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) {
          const wanted = INDEXED_VALUE_TYPE[type];
          if (wanted === undefined) throw new Error(`unknown search attribute type ${type}`);
          const have = existing[name];
          if (have === undefined || have === null) missing[name] = wanted;
          else if (Number(have) !== wanted) {
            conflicts.push(`${name} exists as ${TYPE_NAME[Number(have)] ?? String(have)}, elfstream needs ${type}`);
          }
        }
        if (conflicts.length > 0) {
          throw new CliError(
            `namespace ${namespace}: ${conflicts.join('; ')}. Remove or rename the attribute, then run setup again.`,
          );
        }
        const names = Object.keys(missing);
        if (names.length > 0) {
          try {
            await client.connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
          } catch (err) {
            throw explain(err, namespace);
          }
        }
        for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_TYPES)) {
          println(io.stdout, `search attribute ${name} (${type}): ${name in missing ? 'added' : 'already registered'}`);
        }
        println(
          io.stdout,
          names.length > 0
            ? `namespace ${namespace}: added ${names.length} search attribute${names.length === 1 ? '' : 's'}`
            : `namespace ${namespace}: nothing to add, every search attribute is registered`,
        );
      });
    });
}

function parseDays(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 3650) throw new InvalidArgumentError('expected a number of days (1-3650)');
  return n;
}

/** Registers the namespace when the server does not know it; returns whether it did. */
async function ensureNamespace(client: Client, namespace: string, retentionDays: number): Promise<boolean> {
  const service = client.connection.workflowService;
  try {
    await service.describeNamespace({ namespace });
    return false;
  } catch (err) {
    if (!isGrpcServiceError(err) || err.code !== GRPC.notFound) throw explain(err, namespace);
  }
  try {
    await service.registerNamespace({
      namespace,
      description: 'elfstream: Salesforce Event Monitoring ingestion',
      // protobufjs encodes a plain number into the int64 field; the generated type only names Long.
      workflowExecutionRetentionPeriod: { seconds: (retentionDays * 24 * 3600) as unknown as Long },
    });
    return true;
  } catch (err) {
    // Registered concurrently (two setups at once): the goal is reached all the same.
    if (isGrpcServiceError(err) && err.code === GRPC.alreadyExists) return false;
    throw explain(err, namespace);
  }
}

/**
 * Raises the retention of an existing namespace to `days` when it is shorter (never lowers it); returns what it did.
 * A new retention applies to workflows that close from then on.
 */
async function ensureRetention(client: Client, namespace: string, days: number): Promise<string> {
  const current = await namespaceRetentionMs(client, namespace);
  if (current >= days * DAY_MS) return `namespace ${namespace}: retention ${formatDays(current)}, enough`;
  try {
    await client.connection.workflowService.updateNamespace({
      namespace,
      config: { workflowExecutionRetentionTtl: { seconds: (days * 24 * 3600) as unknown as Long } },
    });
  } catch (err) {
    throw explain(err, namespace);
  }
  return `namespace ${namespace}: retention raised from ${formatDays(current)} to ${days} days`;
}

/** The namespace's custom search attributes; waits for a namespace that was just created to be served. */
async function listAttributes(
  client: Client,
  namespace: string,
  justCreated: boolean,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + (justCreated ? NEW_NAMESPACE_WAIT_MS : 0);
  for (;;) {
    try {
      const r = await client.connection.operatorService.listSearchAttributes({ namespace });
      return r.customAttributes ?? {};
    } catch (err) {
      const notYet = isGrpcServiceError(err) && err.code === GRPC.notFound;
      if (!notYet || Date.now() > deadline) {
        if (notYet) throw new CliError(`namespace ${namespace} does not exist`, ExitCode.notFound);
        throw explain(err, namespace);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

function explain(err: unknown, namespace: string): Error {
  if (isGrpcServiceError(err)) {
    if (err.code === GRPC.alreadyExists) {
      // Someone else registered them between our list and add.
      return new CliError(
        `namespace ${namespace}: the search attributes were registered concurrently; run setup again to check`,
      );
    }
    if (err.code === GRPC.permissionDenied || err.code === GRPC.unimplemented) {
      return new CliError(
        `namespace ${namespace}: this server does not let clients manage namespaces or search attributes ` +
          `(${err.details}). On Temporal Cloud use \`tcld\` or the Cloud UI.`,
      );
    }
  }
  return err instanceof Error ? err : new Error(String(err));
}
