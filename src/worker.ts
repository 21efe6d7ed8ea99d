import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities } from './activities';
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

/**
 * Builds the elfstream worker: the workflows, and activities wired to one Salesforce session per source and the
 * configured sink. Stopping it (SIGINT/SIGTERM or `worker.shutdown()`) lets running activities finish their current
 * chunk for up to 30 s; whatever is cut short resumes from its last committed chunk on the next attempt.
 */
export async function createElfstreamWorker(opts: ElfstreamWorkerOptions): Promise<{ worker: Worker; sink: LogSink }> {
  const sink = opts.sink ?? createSink(opts.config.output);
  const clients = new Map<string, SalesforceClient>();
  const salesforce = (source: SourceConfig): SalesforceClient => {
    let c = clients.get(source.id);
    if (!c) clients.set(source.id, (c = SalesforceClient.forSource(source)));
    return c;
  };
  const bundlePath = opts.workflowBundlePath ?? defaultBundlePath();
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.taskQueue ?? opts.config.temporal.taskQueue,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('./workflows') }),
    activities: createActivities({ config: opts.config, salesforce, sink, temporal: opts.client }),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities ?? 16,
    shutdownGraceTime: '30s',
  });
  return { worker, sink };
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
