/**
 * The elfstream configuration of a benchmark: one source pointing at the simulator child, and the file sink. Built
 * from YAML with `parseConfig`, as the worker builds it, so defaults (chunkRows...) are the product's. The source
 * logs in as the demo does and as Salesforce has it from API 65.0 on: OAuth client credentials at the org's My
 * Domain, on the newest API version (`auto`). (The SOAP password login loads jsforce, about 40 MB of RSS more.)
 */
import path from 'node:path';
import { parseConfig } from '../../src/config/parse-config';
import type { ElfstreamConfig } from '../../src/config/types';
import type { SimulatorReady } from './child';

export interface BenchConfigParams {
  /** The simulator's My Domain URL and connected app (the simulator child's, or an in-process simulator's). */
  sim: Pick<SimulatorReady, 'instanceUrl' | 'clientId' | 'clientSecret'>;
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
    `      loginUrl: ${p.sim.instanceUrl}`,
    '      apiVersion: auto',
    '      auth:',
    '        type: client-credentials',
    `        clientId: ${p.sim.clientId}`,
    '        clientSecret: ${SF_CLIENT_SECRET}',
    ...Object.entries(settings).map(([k, v]) => `    ${k}: ${v}`),
  ].join('\n');
  const configPath = path.join(p.outputDir, '..', 'elfstream-bench.yaml');
  return parseConfig(yaml, {
    path: configPath,
    env: { SF_CLIENT_SECRET: p.sim.clientSecret },
    cwd: path.dirname(configPath),
  });
}
