/**
 * Workflow overhead: one poll cycle of a source over many small files, on a Temporal dev server (headless, in
 * memory) with the real worker (`createElfstreamWorker`) against the simulator child. Runs inside a benchmark child.
 *
 * Where the time goes comes from the histories: per file, the parent (source) workflow sees its child from
 * `StartChildWorkflowExecutionInitiated` to `ChildWorkflowExecutionCompleted`; of that, the ingest activity ran
 * from `ActivityTaskStarted` to `ActivityTaskCompleted` in the file workflow. The rest is Temporal: starting the
 * child, workflow tasks, scheduling the activity and dispatching it to the worker, reporting the results back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startDevServer } from '../../src/temporal/dev-server';
import { createElfstreamWorker } from '../../src/worker';
import { salesforceSourceWorkflow } from '../../src/workflows';
import { fileWorkflowId, sourceWorkflowId } from '../../src/workflows/ids';
import { statusQuery } from '../../src/workflows/messages';
import type { SourceStatus } from '../../src/workflows/messages';
import { ownPeakRss } from './child';
import type { SimulatorReady } from './child';
import { peakRssOf } from './proc';
import { benchConfig } from './source-config';

export interface WorkflowCycleJob {
  cliPath: string;
  sim: SimulatorReady;
  /** Ids of the files the cycle must ingest (all of one event type, inside the source's window). */
  fileIds: string[];
  eventType: string;
  startFrom: string;
  concurrency: number;
  tmpDir: string;
}

/** Milliseconds: total, mean and percentiles over files. */
export interface Spread {
  totalMs: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface WorkflowCycleResult {
  files: number;
  concurrency: number;
  rows: number;
  /** The cycle, by the source workflow's clock (startedAt .. finishedAt of `lastCycle`). */
  cycleSeconds: number;
  filesPerSecond: number;
  /** Per file, as the source workflow sees its child: initiated .. completed. */
  perFile: Spread;
  /** Per file, the ingest activity's execution (started .. completed): the time in elfstream's own code. */
  activity: Spread;
  /** Per file, scheduled .. started: waiting for a worker slot and the dispatch to the worker. */
  activityQueue: Spread;
  /** Per file, the file workflow's workflow tasks on the worker (started .. completed, summed). */
  workflowTaskRun: Spread;
  /** Per file, its workflow tasks waiting for the worker (scheduled .. started, summed). */
  workflowTaskQueue: Spread;
  /** Per file, `perFile` minus `activity`: the time in Temporal (start child, workflow tasks, dispatch, results). */
  temporal: Spread;
  /** Login and listing activities of the cycle (in the source workflow), execution time. */
  metadataActivityMs: number;
  /** Share of the summed per-file time spent in the ingest activity (the rest is Temporal). */
  activityShare: number;
  /** Share of the cycle's worker slots (`concurrency x cycle`) filled by ingest activities. */
  slotUtilization: number;
  setupSeconds: number;
  workerPeakRssBytes: number;
  devServerPeakRssBytes?: number;
}

type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const totalMs = values.reduce((a, b) => a + b, 0);
  return {
    totalMs,
    meanMs: values.length ? totalMs / values.length : 0,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

/** An event's time in epoch ms (a protobuf Timestamp: seconds as a Long, plus nanos). */
function eventMs(e: HistoryEvent): number {
  const ts = e.eventTime;
  if (!ts) return 0;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : (ts.seconds?.toNumber() ?? 0);
  return seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

/** Execution (started .. completed) and queue (scheduled .. started) time of each completed activity. */
function activityTimes(events: HistoryEvent[]): { type: string; runMs: number; queueMs: number }[] {
  const scheduled = new Map<string, { type: string; at: number }>();
  const started = new Map<string, number>();
  const out: { type: string; runMs: number; queueMs: number }[] = [];
  for (const e of events) {
    const id = String(e.eventId);
    if (e.activityTaskScheduledEventAttributes) {
      scheduled.set(id, { type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '', at: eventMs(e) });
    } else if (e.activityTaskStartedEventAttributes) {
      started.set(String(e.activityTaskStartedEventAttributes.scheduledEventId), eventMs(e));
    } else if (e.activityTaskCompletedEventAttributes) {
      const key = String(e.activityTaskCompletedEventAttributes.scheduledEventId);
      const s = scheduled.get(key);
      const st = started.get(key);
      if (s && st !== undefined) out.push({ type: s.type, runMs: eventMs(e) - st, queueMs: st - s.at });
    }
  }
  return out;
}

/** Time workflow tasks ran on the worker (started .. completed) and waited for it (scheduled .. started). */
function workflowTaskTimes(events: HistoryEvent[]): { runMs: number; queueMs: number } {
  const scheduled = new Map<string, number>();
  const started = new Map<string, number>();
  let runMs = 0;
  let queueMs = 0;
  for (const e of events) {
    if (e.workflowTaskScheduledEventAttributes) scheduled.set(String(e.eventId), eventMs(e));
    else if (e.workflowTaskStartedEventAttributes) {
      const at = scheduled.get(String(e.workflowTaskStartedEventAttributes.scheduledEventId));
      if (at !== undefined) queueMs += eventMs(e) - at;
      started.set(String(e.eventId), eventMs(e));
    } else if (e.workflowTaskCompletedEventAttributes) {
      const at = started.get(String(e.workflowTaskCompletedEventAttributes.startedEventId));
      if (at !== undefined) runMs += eventMs(e) - at;
    }
  }
  return { runMs, queueMs };
}

async function waitForCycle(query: () => Promise<SourceStatus>, timeoutMs: number): Promise<SourceStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: SourceStatus | undefined;
  for (;;) {
    try {
      last = await query();
      if (last.cycles >= 1 && last.state === 'waiting') return last;
    } catch {
      // not started yet, or between runs of a continue-as-new
    }
    if (Date.now() > deadline) throw new Error(`the cycle did not finish in ${timeoutMs} ms: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `fn` over `items` with at most `n` at a time. */
async function mapLimit<T, R>(items: T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

export async function runWorkflowCycle(job: WorkflowCycleJob): Promise<WorkflowCycleResult> {
  const setupStarted = Date.now();
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const server = await startDevServer({ cliPath: job.cliPath, headless: true, logLevel: 'error' });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  try {
    const client = new Client({ connection, namespace: server.namespace });
    const taskQueue = `bench-${process.pid}`;
    const sourceId = 'bench-cycle';
    const config = benchConfig({
      sim: job.sim,
      outputDir: path.join(job.tmpDir, 'events'),
      sourceId,
      eventTypes: [job.eventType],
      temporal: { address: server.address, taskQueue },
      settings: {
        schedule: '"0 0 1 1 *"',
        startFrom: job.startFrom,
        settleWindow: '1m',
        rescanHorizon: '72h',
        concurrency: String(job.concurrency),
        chunkRows: '1000',
      },
    });
    const quiet = (): void => undefined;
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../src/workflows'),
      logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error },
    });
    const bundlePath = path.join(job.tmpDir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const { worker } = await createElfstreamWorker({
      config,
      connection: nativeConnection,
      client,
      workflowBundlePath: bundlePath,
    });
    const setupSeconds = (Date.now() - setupStarted) / 1000;

    const { status, firstRunId } = await worker.runUntil(async () => {
      const handle = await client.workflow.start(salesforceSourceWorkflow, {
        taskQueue,
        workflowId: sourceWorkflowId(sourceId),
        args: [{ sourceId }],
      });
      const done = await waitForCycle(() => handle.query(statusQuery), 10 * 60_000);
      await handle.terminate('benchmark done');
      return { status: done, firstRunId: handle.firstExecutionRunId };
    });
    const cycle = status.lastCycle;
    if (!cycle?.finishedAt || cycle.error) throw new Error(`the cycle failed: ${JSON.stringify(status.lastCycle)}`);
    if (cycle.filesIngested !== job.fileIds.length) {
      throw new Error(`the cycle ingested ${cycle.filesIngested} files, expected ${job.fileIds.length}`);
    }
    const cycleSeconds = (Date.parse(cycle.finishedAt) - Date.parse(cycle.startedAt)) / 1000;

    // The parent's view of each child, and the metadata activities of the cycle.
    const sourceHistory = await client.workflow.getHandle(sourceWorkflowId(sourceId), firstRunId).fetchHistory();
    const sourceEvents = sourceHistory.events ?? [];
    const initiated = new Map<string, number>();
    const childMs = new Map<string, number>();
    for (const e of sourceEvents) {
      const init = e.startChildWorkflowExecutionInitiatedEventAttributes;
      const completed = e.childWorkflowExecutionCompletedEventAttributes;
      if (init?.workflowId) initiated.set(init.workflowId, eventMs(e));
      else if (completed?.workflowExecution?.workflowId) {
        const id = completed.workflowExecution.workflowId;
        const from = initiated.get(id);
        if (from !== undefined) childMs.set(id, eventMs(e) - from);
      }
    }
    const metadataActivityMs = activityTimes(sourceEvents).reduce((n, a) => n + a.runMs, 0);

    const perFile = await mapLimit(job.fileIds, 16, async (fileId) => {
      const id = fileWorkflowId(sourceId, job.sim.orgId, fileId);
      const history = await client.workflow.getHandle(id).fetchHistory();
      const ingest = activityTimes(history.events ?? []).filter((a) => a.type === 'ingestEventLogFile');
      const runMs = ingest.reduce((n, a) => n + a.runMs, 0);
      const queueMs = ingest.reduce((n, a) => n + a.queueMs, 0);
      const total = childMs.get(id);
      if (total === undefined) throw new Error(`no completed child ${id} in the source workflow's history`);
      const wft = workflowTaskTimes(history.events ?? []);
      return { total, runMs, queueMs, wftRunMs: wft.runMs, wftQueueMs: wft.queueMs };
    });
    const totals = perFile.map((f) => f.total);
    const activity = perFile.map((f) => f.runMs);
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    return {
      files: job.fileIds.length,
      concurrency: job.concurrency,
      rows: cycle.rows,
      cycleSeconds,
      filesPerSecond: job.fileIds.length / cycleSeconds,
      perFile: spread(totals),
      activity: spread(activity),
      activityQueue: spread(perFile.map((f) => f.queueMs)),
      workflowTaskRun: spread(perFile.map((f) => f.wftRunMs)),
      workflowTaskQueue: spread(perFile.map((f) => f.wftQueueMs)),
      temporal: spread(perFile.map((f) => f.total - f.runMs)),
      metadataActivityMs,
      activityShare: sum(activity) / sum(totals),
      slotUtilization: sum(activity) / (job.concurrency * cycleSeconds * 1000),
      setupSeconds,
      workerPeakRssBytes: ownPeakRss(),
      devServerPeakRssBytes: peakRssOf(server.pid),
    };
  } finally {
    await nativeConnection.close();
    await connection.close();
    await server.stop();
  }
}
