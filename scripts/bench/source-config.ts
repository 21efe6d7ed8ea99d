/**
 * The elfstream configuration of a benchmark: one source (password auth) pointing at the simulator child, and the
 * file sink. Built from YAML with `parseConfig`, as the worker builds it, so defaults (chunkRows...) are the product's.
 */
import path from 'node:path';
import { parseConfig } from '../../src/config/parse-config';
import type { ElfstreamConfig } from '../../src/config/types';
import type { SimulatorReady } from './child';

export interface BenchConfigParams {
  sim: SimulatorReady;
  outputDir: string;
  gzip?: boolean;
  sourceId?: string;
  eventTypes?: string[];
  /** Other source settings, as YAML scalars (e.g. `{ concurrency: '4', startFrom: '2026-11-01T00:00:00Z' }`). */
  settings?: Record<string, string>;
  temporal?: { address: string; taskQueue: string };
}

export function benchConfig(p: BenchConfigParams): ElfstreamConfig {
  const settings: Record<string, string> = {
    eventTypes: `[${(p.eventTypes ?? ['URI', 'Login']).join(', ')}]`,
    interval: 'Hourly',
    ...p.settings,
  };
  const yaml = [
    ...(p.temporal ? ['temporal:', `  address: ${p.temporal.address}`, `  taskQueue: ${p.temporal.taskQueue}`] : []),
    'output:',
    '  type: file',
    `  dir: ${JSON.stringify(p.outputDir)}`,
    `  gzip: ${p.gzip ?? true}`,
    'sources:',
    `  - id: ${p.sourceId ?? 'bench'}`,
    '    label: Benchmark (simulated)',
    '    salesforce:',
    `      loginUrl: ${p.sim.url}`,
    '      apiVersion: "62.0"',
    '      auth:',
    '        type: password',
    `        username: ${p.sim.username}`,
    '        password: ${SF_PASSWORD}',
    '        securityToken: ${SF_TOKEN}',
    ...Object.entries(settings).map(([k, v]) => `    ${k}: ${v}`),
  ].join('\n');
  const configPath = path.join(p.outputDir, '..', 'elfstream-bench.yaml');
  return parseConfig(yaml, {
    path: configPath,
    env: { SF_PASSWORD: p.sim.password, SF_TOKEN: p.sim.securityToken },
    cwd: path.dirname(configPath),
  });
}
