/** The configuration of elfstream: `elfstream.yaml`, validated and resolved. */
export type {
  AuthConfig,
  ElfstreamConfig,
  OutputConfig,
  SalesforceConfig,
  SourceConfig,
  TemporalConfig,
} from './types';
export { ConfigError, formatIssue, formatKeyPath } from './errors';
export type { ConfigIssue, KeyPath } from './errors';
export { loadConfig, DEFAULT_CONFIG_PATH } from './load';
export type { LoadConfigOptions } from './load';
export { parseConfig } from './parse-config';
export { configWarnings } from './warnings';
export type { ParseConfigOptions } from './parse-config';
export { demoConfig, demoConfigYaml, DEMO_CONFIG_PATH } from './demo';
export type { DemoConfigParams } from './demo';
export { CONFIG_DEFAULTS } from './defaults';
export { createConfigSchema } from './schema';
export type { SecretContext } from './schema';
export type { ParsedConfig } from './schema';
export { TEMPORAL_ENV } from './env-overrides';
export { interpolateString } from './interpolate';
export type { Env } from './interpolate';
export { parseDuration, DURATION_FORMS } from './durations';
export { checkCronSyntax, cronProblem, CRON_FIELDS } from '../workflows/cron';
export type { CronField } from '../workflows/cron';
export { SECRET_KEYS, SECRET_FILE_KEYS, isSecretPath } from './secrets';
export type { ReadFile, SecretKey } from './secrets';
export { closestMatch, didYouMean, editDistance } from './did-you-mean';
