/**
 * The zod schema of `elfstream.yaml`, applied after `${VAR}` interpolation. Parsing with it checks every key (unknown
 * keys are errors), applies defaults, reads `*File` secrets, parses durations and resolves paths against the
 * configuration file's folder, producing the resolved configuration of `./types` (all but `configPath`).
 */
import type { z } from 'zod';
import { belongIn, closedObject, integer, nullAsAbsent } from './schema-fields';
import { defaultOutput, outputSchema } from './schema-output';
import { SOURCE_KEYS, sourcesSchema } from './schema-source';
import { defaultTemporal, temporalSchema } from './schema-temporal';
import type { SecretContext } from './secret-fields';
import type { ElfstreamConfig } from './types';

export type { SecretContext } from './secret-fields';

const metricsSchema = closedObject(
  { port: nullAsAbsent(integer(1, 65535).optional()) },
  'a metrics mapping (port)',
).transform((v): ElfstreamConfig['metrics'] => ({ port: v.port ?? null }));

/**
 * Builds the schema. `secrets` says where relative paths start (the configuration file's folder) and how secret
 * files are read.
 */
export function createConfigSchema(secrets: SecretContext) {
  return closedObject(
    {
      temporal: nullAsAbsent(temporalSchema(secrets).optional()),
      output: nullAsAbsent(outputSchema(secrets).optional()),
      metrics: nullAsAbsent(metricsSchema.optional()),
      sources: sourcesSchema(secrets),
    },
    'a mapping with sources (and optionally temporal, output, metrics)',
    {
      elsewhere: {
        ...belongIn('an entry of sources', SOURCE_KEYS),
        ...belongIn('the temporal mapping', ['address', 'namespace', 'taskQueue', 'apiKey', 'apiKeyFile', 'tls']),
        ...belongIn('the output mapping', ['dir', 'gzip', 'url', 'format', 'batchSize', 'headers']),
        ...belongIn('the metrics mapping', ['port']),
      },
    },
  ).transform((v): Omit<ElfstreamConfig, 'configPath'> => ({
    temporal: v.temporal ?? defaultTemporal(),
    output: v.output ?? defaultOutput(secrets.baseDir),
    metrics: v.metrics ?? { port: null },
    sources: v.sources,
  }));
}

/** The schema's result: the resolved configuration without `configPath`. */
export type ParsedConfig = z.output<ReturnType<typeof createConfigSchema>>;
