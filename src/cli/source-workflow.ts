/**
 * The CLI's view of a source workflow (`elfstream-source-<id>`): is it running, what does its `status` query say,
 * and how a signal reaches it. Shared by `status`, `dev`, `backfill`, `pause`, `resume`, `poll` and `stop`.
 */
import { isGrpcDeadlineError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import { sourceWorkflowId } from '../workflows/ids';
import { statusQuery, type SourceStatus } from '../workflows/messages';
import { CliError, ExitCode } from './exit-codes';
import { describeBackfillProgress } from '../workflows/backfill-progress';
import { formatCount, formatInstant } from './output';

/** What is known about one source's workflow. */
export type SourceView =
  | { sourceId: string; running: true; runId: string; status: SourceStatus }
  /** Running, but no worker answered the query in time (none polling the task queue, or all busy). */
  | { sourceId: string; running: true; runId: string; status?: undefined; problem: string }
  /** Never started (`not started`), or its last run closed (`CANCELLED`, `TERMINATED`, `FAILED`, ...). */
  | { sourceId: string; running: false; closed: string; closedAt?: string };

/** The handle of a source's workflow: the latest run of its chain, whatever continue-as-new did. */
export function sourceHandle(client: Client, sourceId: string): WorkflowHandle {
  return client.workflow.getHandle(sourceWorkflowId(sourceId));
}

/** The run id of the source's running workflow, or why there is none. */
export async function describeSource(
  client: Client,
  sourceId: string,
): Promise<
  { running: true; runId: string; taskQueue: string } | { running: false; closed: string; closedAt?: string }
> {
  try {
    const d = await sourceHandle(client, sourceId).describe();
    if (d.status.name === 'RUNNING') return { running: true, runId: d.runId, taskQueue: d.taskQueue };
    return { running: false, closed: d.status.name, closedAt: d.closeTime?.toISOString() };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { running: false, closed: 'not started' };
    throw err;
  }
}

/**
 * Describes the source, then queries its status when it runs. A query is answered by a worker, so it is bounded by
 * `timeoutMs`: without a worker on the task queue it would otherwise wait as long as the server lets it.
 */
export async function viewSource(client: Client, sourceId: string, timeoutMs = 10_000): Promise<SourceView> {
  const d = await describeSource(client, sourceId);
  if (!d.running) return { sourceId, ...d };
  try {
    const status = await client.connection.withDeadline(Date.now() + timeoutMs, () =>
      sourceHandle(client, sourceId).query(statusQuery),
    );
    return { sourceId, running: true, runId: d.runId, status };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { sourceId, running: false, closed: 'closed just now' };
    if (isGrpcDeadlineError(err)) {
      return {
        sourceId,
        running: true,
        runId: d.runId,
        problem: `no worker answered within ${Math.round(timeoutMs / 1000)} s: is \`elfstream worker\` running for task queue ${d.taskQueue}?`,
      };
    }
    return { sourceId, running: true, runId: d.runId, problem: err instanceof Error ? err.message : String(err) };
  }
}

/** Exit code 4 with the way out: the source is configured but its workflow does not run. */
export function notRunningError(sourceId: string, closed?: string): CliError {
  const why = closed && closed !== 'not started' ? ` (its last run is ${closed})` : '';
  return new CliError(
    `source "${sourceId}" is not running${why}; start it with \`elfstream start ${sourceId}\``,
    ExitCode.notFound,
  );
}

/** Sends a signal to the source's running workflow; a source that is not running is exit code 4. */
export async function signalSource<Args extends unknown[]>(
  client: Client,
  sourceId: string,
  signal: SignalDefinition<Args>,
  ...args: Args
): Promise<void> {
  try {
    await sourceHandle(client, sourceId).signal(signal, ...args);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notRunningError(sourceId);
    throw err;
  }
}

/** Column headers of {@link statusRow}. */
export const STATUS_HEADERS = ['SOURCE', 'STATE', 'HEALTH', 'CHECKPOINT', 'FILES', 'EVENTS', 'NEXT RUN'];

/** One table row per source: `status` prints these; messages go below the table, in full ({@link statusNotes}). */
export function statusRow(v: SourceView): string[] {
  if (!v.running) return [v.sourceId, stateOf(v), '—', '—', '—', '—', '—'];
  if (!v.status) return [v.sourceId, 'running', 'no answer', '?', '?', '?', '?'];
  const s = v.status;
  return [v.sourceId, stateOf(v), healthOf(s), checkpointOf(s), filesOf(s), formatCount(s.totals.rows), nextRunOf(s)];
}

/**
 * What the table has no room for, one note per line: the current error in full and since when, the last error of a
 * source that recovered, the progress of running backfills, why a running source did not answer.
 */
export function statusNotes(v: SourceView, nowMs = Date.now()): string[] {
  if (!v.running) return [];
  if (!v.status) return [`${v.sourceId}: ${v.problem}`];
  const s = v.status;
  const notes: string[] = [];
  if (s.failingSince && s.lastError) {
    notes.push(`${v.sourceId}: failing since ${formatInstant(s.failingSince)}: ${s.lastError.message}`);
  } else if (s.lastError) {
    const recovered = s.okSince ? ` (ok again since ${formatInstant(s.okSince)})` : '';
    notes.push(`${v.sourceId}: last error ${formatInstant(s.lastError.at)}${recovered}: ${s.lastError.message}`);
  }
  for (const b of s.backfills.filter((x) => x.state === 'running')) {
    const range = `${formatInstant(b.from)} → ${formatInstant(b.to)}`;
    notes.push(`${v.sourceId}: backfill ${range}: ${describeBackfillProgress(b, nowMs)}`);
  }
  return notes;
}

/** Breaks `text` into lines of at most `width` characters at spaces; continuation lines are indented. */
export function wrapText(text: string, width: number, indent = '    '): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (candidate.length > width && line.trim() !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = candidate;
  }
  lines.push(line);
  return lines;
}

/**
 * One line per source for `dev`'s live view. Holds no countdown, so it only changes when the source does (which is
 * what keeps the plain-line fallback readable).
 */
export function statusLine(v: SourceView, idWidth = 0): string {
  const id = v.sourceId.padEnd(idWidth);
  if (!v.running) return `${id}  ${stateOf(v)}`;
  if (!v.status) return `${id}  running  (${v.problem})`;
  const s = v.status;
  const parts = [
    `${id}  ${stateOf(v).padEnd(9)}`,
    `files ${filesOf(s)}`,
    `events ${formatCount(s.totals.rows)}`,
    `checkpoint ${checkpointOf(s)}`,
    `next run ${nextRunOf(s)}`,
  ];
  for (const b of s.backfills.filter((x) => x.state === 'running')) {
    parts.push(`backfill ${describeBackfillProgress(b, Date.now())}`);
  }
  if (s.failingSince && s.lastError)
    parts.push(`failing since ${formatInstant(s.failingSince)}: ${s.lastError.message}`);
  return parts.join('  ');
}

function healthOf(s: SourceStatus): string {
  if (s.failingSince) return `failing since ${formatInstant(s.failingSince)}`;
  if (s.okSince) return `ok since ${formatInstant(s.okSince)}`;
  return s.cycles === 0 ? 'no cycle yet' : '—';
}

function stateOf(v: SourceView): string {
  if (!v.running) {
    if (v.closed === 'not started') return 'not running';
    // A source workflow only completes when it was stopped (cancelled) and handed back its state.
    return `not running (${v.closed === 'COMPLETED' ? 'stopped' : v.closed.toLowerCase()})`;
  }
  if (!v.status) return 'running';
  const s = v.status;
  const inFlight = s.filesInFlight.length;
  return inFlight > 0 && s.state === 'polling' ? `polling (${inFlight} in flight)` : s.state;
}

function checkpointOf(s: SourceStatus): string {
  if (s.checkpoint) return formatInstant(s.checkpoint.createdDate);
  return s.startedFrom ? `— (from ${formatInstant(s.startedFrom)})` : '—';
}

function filesOf(s: SourceStatus): string {
  const failed = s.failedFiles.length;
  return failed > 0 ? `${formatCount(s.totals.files)} (${failed} failed)` : formatCount(s.totals.files);
}

function nextRunOf(s: SourceStatus): string {
  if (s.paused) return 'paused';
  if (s.state === 'polling') return 'now';
  return formatInstant(s.nextRunAt);
}
