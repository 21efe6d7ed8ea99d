/**
 * The CLI's side of a source's real-time workflow (`elfstream-realtime-<id>`): started and stopped with the source
 * workflow when the source configures `realtime`, signalled with it by `pause` / `resume`, shown by `status`.
 */
import { isGrpcDeadlineError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { ElfstreamConfig, SourceConfig } from '../config/types';
import { realtimeWorkflowId } from '../workflows/ids';
import type { salesforceRealtimeWorkflow } from '../workflows';
import { realtimeStatusQuery, type RealtimeState, type RealtimeStatus } from '../workflows/realtime-state';
import { SOURCE_ID } from '../workflows/search-attributes';
import { formatInstant, truncate } from './output';

/** Starts the real-time workflow of a source unless it runs; carries on from a stopped run's cursors. */
export async function startRealtime(
  client: Client,
  config: ElfstreamConfig,
  source: SourceConfig,
): Promise<{ workflowId: string; runId: string; alreadyRunning: boolean }> {
  const workflowId = realtimeWorkflowId(source.id);
  const handle = client.workflow.getHandle<typeof salesforceRealtimeWorkflow>(workflowId);
  let before: { running: boolean; runId?: string; state?: RealtimeState } = { running: false };
  try {
    const d = await handle.describe();
    before =
      d.status.name === 'RUNNING'
        ? { running: true, runId: d.runId }
        : { running: false, state: d.status.name === 'COMPLETED' ? await handle.result() : undefined };
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const started = await client.workflow.start<typeof salesforceRealtimeWorkflow>('salesforceRealtimeWorkflow', {
    workflowId,
    taskQueue: config.temporal.taskQueue,
    args: [{ sourceId: source.id, state: before.state }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `Salesforce real-time events: ${source.label} (${source.id})`.slice(0, 190),
    staticDetails:
      `Objects: ${source.realtime?.objects.join(', ') ?? '—'}; schedule \`${source.realtime?.schedule ?? ''}\` (UTC).\n\n` +
      'Signals: `backfill`, `pause`, `resume`, `pollNow`; query: `status`.',
    typedSearchAttributes: [{ key: SOURCE_ID, value: source.id }],
  });
  const runId = started.firstExecutionRunId;
  return { workflowId, runId, alreadyRunning: before.running && before.runId === runId };
}

/** Cancels the real-time workflow; false when it was not running. */
export async function stopRealtime(client: Client, sourceId: string): Promise<boolean> {
  const handle = client.workflow.getHandle(realtimeWorkflowId(sourceId));
  try {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return false;
    await handle.cancel();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Signals the real-time workflow when it runs; false when it does not. */
export async function signalRealtime(client: Client, sourceId: string, signal: SignalDefinition<[]>): Promise<boolean> {
  try {
    await client.workflow.getHandle(realtimeWorkflowId(sourceId)).signal(signal);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** The real-time status of a source, or why there is none. */
export async function viewRealtime(
  client: Client,
  sourceId: string,
  timeoutMs = 10_000,
): Promise<{ running: true; status: RealtimeStatus } | { running: boolean; problem: string }> {
  const handle = client.workflow.getHandle(realtimeWorkflowId(sourceId));
  try {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return { running: false, problem: `not running (${d.status.name})` };
    const status = await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      handle.query(realtimeStatusQuery),
    );
    return { running: true, status };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { running: false, problem: 'not started' };
    if (isGrpcDeadlineError(err)) return { running: true, problem: 'no worker answered the status query' };
    throw err;
  }
}

export const REALTIME_HEADERS = ['SOURCE', 'OBJECT', 'CURSOR', 'LAG', 'WRITTEN', 'LAST READ', 'ERROR'];

/** One row per object of a source's real-time channel. */
export function realtimeRows(sourceId: string, view: Awaited<ReturnType<typeof viewRealtime>>): string[][] {
  if (!('status' in view)) return [[sourceId, '(real-time)', view.problem, '', '', '', '']];
  const s = view.status;
  return s.objects.map((o) => [
    sourceId,
    s.paused ? `${o.object} (paused)` : o.object,
    o.cursor ? formatInstant(o.cursor) : '—',
    o.lagSeconds === undefined ? '—' : `${o.lagSeconds} s`,
    String(o.written),
    o.lastReadAt ? formatInstant(o.lastReadAt) : '—',
    truncate(o.error ?? '', 60),
  ]);
}
