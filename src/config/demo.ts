/** The configuration of the all-in-one demo (`elfstream dev`), which runs against the embedded simulator. */
import { stringify } from 'yaml';
import { parseConfig } from './parse-config';
import type { ElfstreamConfig, SourceConfig, TemporalConfig } from './types';

/** How the demo configuration names itself in messages and `configPath`. */
export const DEMO_CONFIG_PATH = '(demo config)';

/** What the demo configuration is made from. */
export interface DemoConfigParams {
  /**
   * The simulator's My Domain-style URL (its instance URL, e.g. `http://localhost:8787`), where the
   * client-credentials flow is served as on a real org's My Domain.
   */
  simulatorUrl: string;
  /** The simulator's connected app (demo values, no secret). */
  credentials: { clientId: string; clientSecret: string };
  /** Where events are written. Default `./data/events`, relative to `cwd`. */
  dataDir?: string;
  /** Folder relative paths are resolved from. Default: `process.cwd()`. */
  cwd?: string;
  /** Temporal settings, e.g. the dev server's address. Defaults as in a configuration file. */
  temporal?: Partial<Pick<TemporalConfig, 'address' | 'namespace' | 'taskQueue'>>;
  /** Source settings to change, written as in a configuration file (e.g. `{ schedule: '* * * * *' }`). */
  source?: Partial<Pick<SourceConfig, 'eventTypes' | 'interval' | 'schedule' | 'startFrom'>> & {
    settleWindow?: string;
    rescanHorizon?: string;
  };
}

// Every value is literal text: escape `${` so that interpolation leaves it alone.
function literal<T>(value: T): T {
  if (typeof value === 'string') return value.split('${').join('$${') as T;
  if (Array.isArray(value)) return value.map(literal) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)])) as T;
  }
  return value;
}

/**
 * The YAML text of the demo configuration: one source `demo-org` with OAuth client-credentials auth against the
 * simulator's My Domain-style URL, on the newest API version both sides serve (`apiVersion: auto`, 68.0), and
 * gzipped NDJSON files under `./data/events` (or `dataDir`). Values are escaped, so it holds no `${VAR}` reference.
 */
export function demoConfigYaml(params: DemoConfigParams): string {
  const document = literal({
    ...(params.temporal ? { temporal: params.temporal } : {}),
    output: { type: 'file', dir: params.dataDir ?? './data/events', gzip: true },
    sources: [
      {
        id: 'demo-org',
        label: 'Demo org (simulator)',
        salesforce: {
          loginUrl: params.simulatorUrl,
          apiVersion: 'auto',
          auth: {
            type: 'client-credentials',
            clientId: params.credentials.clientId,
            clientSecret: params.credentials.clientSecret,
          },
        },
        ...params.source,
      },
    ],
  });
  return `# elfstream demo configuration: the embedded Salesforce simulator.\n${stringify(document)}`;
}

/**
 * The resolved demo configuration (see {@link demoConfigYaml}), validated like any configuration file.
 *
 * @throws {@link ConfigError} when the parameters make an invalid configuration (e.g. a malformed simulator URL).
 */
export function demoConfig(params: DemoConfigParams): ElfstreamConfig {
  return parseConfig(demoConfigYaml(params), { path: DEMO_CONFIG_PATH, env: {}, cwd: params.cwd });
}
