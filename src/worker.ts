import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import type { ElfstreamConfig, SourceConfig } from './config/types';
import { SalesforceClient } from './salesforce/client';
import { createSink } from './sinks';
import type { LogSink } from './sinks/types';

export interface ElfstreamWorkerOptions {
  config: ElfstreamConfig;
  connection: NativeConnection;
  /** Client used by activities to look up the ledger workflows of files. */
  client: Client;
  /** Defaults to the configuration's task queue. */
  taskQueue?: string;
  /** A prebuilt bundle (production); by default the prebuilt one next to the compiled code, else bundled at start. */
  workflowBundlePath?: string;
  sink?: LogSink;
  identity?: string;
  maxConcurrentActivities?: number;
}

export interface ElfstreamWorker {
  worker: Worker;
  sink: LogSink;
  /**
   * Applies a changed configuration from the next activity on: sources (credentials, event types, schedule, …)
   * change at once, a source whose Salesforce settings changed logs in again. The sink and the Temporal connection
   * were made at start: returns what of the new configuration waits for a restart (empty when nothing does).
   */
  reloadConfig(next: ElfstreamConfig): string[];
}

/**
 * Builds the elfstream worker: the workflows, and activities wired to one Salesforce session per source and the
 * configured sink. Stopping it (SIGINT/SIGTERM or `worker.shutdown()`) lets running activities finish their current
 * chunk for up to 30 s; whatever is cut short resumes from its last committed chunk on the next attempt.
 */
export async function createElfstreamWorker(opts: ElfstreamWorkerOptions): Promise<ElfstreamWorker> {
  const sink = opts.sink ?? createSink(opts.config.output);
  const clients = new Map<string, { salesforce: string; client: SalesforceClient }>();
  const salesforce = (source: SourceConfig): SalesforceClient => {
    const settings = JSON.stringify(source.salesforce);
    let c = clients.get(source.id);
    // A changed password, key or login URL needs a new session; anything else keeps the one there is.
    if (c?.salesforce !== settings)
      clients.set(source.id, (c = { salesforce: settings, client: SalesforceClient.forSource(source) }));
    return c.client;
  };
  const deps: ActivityDeps = { config: opts.config, salesforce, sink, temporal: opts.client };
  const bundlePath = opts.workflowBundlePath ?? defaultBundlePath();
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue ?? opts.config.temporal.taskQueue,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities(deps),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 16,
    shutdownGraceTime: '30s',
  });
  const reloadConfig = (next: ElfstreamConfig): string[] => {
    const waiting: string[] = [];
    if (JSON.stringify(next.output) !== JSON.stringify(deps.config.output)) waiting.push('output');
    if (JSON.stringify(next.temporal) !== JSON.stringify(deps.config.temporal)) waiting.push('temporal');
    if (next.metrics.port !== deps.config.metrics.port) waiting.push('metrics');
    // Sinks and connections stay as started; sources are read by every activity from `deps.config`.
    deps.config = { ...next, output: deps.config.output, temporal: deps.config.temporal, metrics: deps.config.metrics };
    return waiting;
  };
  return { worker, sink, reloadConfig };
}

/**
 * `ELFSTREAM_WORKFLOW_BUNDLE` (a bundle built by scripts/build-workflow-bundle.js), else the bundle `npm run build`
 * writes beside the compiled worker, if this is the compiled worker; else none (bundle at start).
 */
function defaultBundlePath(): string | undefined {
  if (process.env.ELFSTREAM_WORKFLOW_BUNDLE) return process.env.ELFSTREAM_WORKFLOW_BUNDLE;
  const candidate = path.join(__dirname, 'workflow-bundle.js');
  return __filename.endsWith('.js') && fs.existsSync(candidate) ? candidate : undefined;
}
