/** The per-source state carried across cycles and continue-as-new, and the rules that change it. Pure. */
import type { LogInterval } from '../salesforce/types';
import type { FileKey, Ledger } from './checkpoint';
import { legacyEventTypeProblem } from './frozen-event-types';
import type {
  BackfillProgress,
  BackfillRequest,
  BackfillStatus,
  Checkpoint,
  CycleSummary,
  FailedFile,
  SourceStatus,
} from './messages';

/** Salesforce's default retention: EventLogFiles are deleted 30 days after CreatedDate unless the org keeps them longer. */
export const RETENTION_MS = 30 * 24 * 3600_000;
/** The longest retention an org can set (365 days): the workflow's own bound once the configured one is checked. */
export const MAX_RETENTION_MS = 365 * 24 * 3600_000;
const MAX_FAILED_FILES = 50;
const MAX_QUEUED_RETRIES = 50;
const MAX_BACKFILLS_SHOWN = 20;

export interface SourceState {
  checkpoint?: Checkpoint;
  startedFrom?: string;
  ledger: Ledger;
  paused: boolean;
  queuedBackfills: BackfillRequest[];
  backfills: BackfillStatus[];
  cycles: number;
  totals: { files: number; rows: number; malformedRows: number };
  failedFiles: FailedFile[];
  lastCycle?: CycleSummary;
  lastError?: { at: string; message: string };
  orgId?: string;
  label?: string;
  interval?: LogInterval;
  /** The cron schedule of the configuration, as of the last login. */
  schedule?: string;
  /** The org's EventLogFile retention in ms (`sources[].retention`), as of the last login. */
  retentionMs?: number;
  nextRunAt?: string;
  /** After a rate-limited cycle: no cycle before this instant unless a pollNow asks for one. */
  retryAt?: string;
  /**
   * `source`: every file this source ingested has a per-source ledger entry. `org`: the source ingested before
   * ledgers were per source, so its org-scoped entries count too (see `FILE_LEDGER_PER_SOURCE`). Absent in states
   * written before that change.
   */
  fileLedger?: 'org' | 'source';
  /** See `SourceStatus`: the first cycle of the current run of successful, or failed, cycles. */
  okSince?: string;
  failingSince?: string;
  /** For an `org` ledger: when the source switched to per-source entries; later files have no org-scoped entry. */
  fileLedgerSwitchedAt?: string;
  /** A cycle cut by continue-as-new between two listing pages: where the next run carries its listing on. */
  listing?: ListingPosition;
  /** File ids a `retryFile` signal asked for, not started yet. */
  queuedRetries: string[];
}

/** The in-cycle listing position carried across continue-as-new. */
export interface ListingPosition {
  window: { from: string; to: string };
  after: FileKey;
  /** Whether a file not done holds the checkpoint back (later pages no longer move it). */
  blocked: boolean;
  cycle: CycleSummary;
}

export function initialState(): SourceState {
  return {
    ledger: {},
    paused: false,
    queuedBackfills: [],
    backfills: [],
    cycles: 0,
    totals: { files: 0, rows: 0, malformedRows: 0 },
    failedFiles: [],
    queuedRetries: [],
  };
}

/** Accepts a state from continue-as-new input or a cron run's lastResult, whatever its age; fills the gaps. */
export function restoreState(raw: unknown): SourceState {
  const s = initialState();
  if (!raw || typeof raw !== 'object') return s;
  return { ...s, ...(raw as Partial<SourceState>) };
}

export function recordError(s: SourceState, message: string, nowMs: number): void {
  s.lastError = { at: new Date(nowMs).toISOString(), message };
}

export function recordFailedFile(s: SourceState, f: FailedFile): void {
  s.failedFiles = [...s.failedFiles.filter((x) => x.fileId !== f.fileId), f].slice(-MAX_FAILED_FILES);
}

/**
 * Queues a failed file for a retry on purpose; returns what stands in the way, in words a person can act on. Only a
 * file listed in `failedFiles` (with the listing it failed under) can be retried.
 */
export function queueRetry(s: SourceState, fileId: unknown): string | undefined {
  if (typeof fileId !== 'string' || fileId === '') return 'retryFile needs the id of a failed file (a string)';
  const failed = s.failedFiles.find((f) => f.fileId === fileId);
  if (!failed) {
    return `retryFile ${fileId}: no such failed file (status.failedFiles lists the ${s.failedFiles.length} this source remembers)`;
  }
  if (!failed.file)
    return `retryFile ${fileId}: recorded by an older version without its listing; backfill its LogDate instead`;
  if (!s.queuedRetries.includes(fileId)) s.queuedRetries = [...s.queuedRetries, fileId].slice(-MAX_QUEUED_RETRIES);
  return undefined;
}

export function forgetFailedFile(s: SourceState, fileId: string): void {
  if (s.failedFiles.some((f) => f.fileId === fileId)) s.failedFiles = s.failedFiles.filter((f) => f.fileId !== fileId);
}

/**
 * Checks a backfill request; returns what is wrong with it, in words a person can act on. `retentionMs` bounds how
 * far back it may reach (default 30 days); `legacyEventTypes` applies the event type rule of release 0.1.0 (histories
 * recorded before the patch `backfill-retention-up-to-a-year-and-any-event-type`), otherwise a name's shape decides.
 */
export function validateBackfill(
  req: unknown,
  nowMs: number,
  rules: { retentionMs?: number; legacyEventTypes?: boolean } = {},
): string | undefined {
  const retentionMs = rules.retentionMs ?? RETENTION_MS;
  if (!req || typeof req !== 'object') return 'backfill needs {"from": ISO-8601, "to": ISO-8601, "eventTypes"?: [..]}';
  const { from, to, eventTypes } = req as Record<string, unknown>;
  if (typeof from !== 'string' || Number.isNaN(Date.parse(from)))
    return `backfill "from" must be an ISO-8601 instant, got ${JSON.stringify(from)}`;
  if (typeof to !== 'string' || Number.isNaN(Date.parse(to)))
    return `backfill "to" must be an ISO-8601 instant, got ${JSON.stringify(to)}`;
  if (Date.parse(from) >= Date.parse(to))
    return `backfill range is empty: "from" (${from}) must be before "to" (${to})`;
  if (Date.parse(to) < nowMs - retentionMs) {
    const days = Math.round(retentionMs / 86_400_000);
    return `backfill range ${from} .. ${to} is beyond the org's ${days}-day EventLogFile retention: those files no longer exist (set the source's retention to what the org keeps)`;
  }
  if (eventTypes !== undefined) {
    if (!Array.isArray(eventTypes) || eventTypes.some((t) => typeof t !== 'string'))
      return 'backfill "eventTypes" must be a list of event type names';
    for (const t of eventTypes as string[]) {
      const problem =
        t === '*' ? undefined : (rules.legacyEventTypes ? legacyEventTypeProblem : eventTypeNameProblem)(t);
      if (problem !== undefined) return `backfill "eventTypes": ${problem}`;
    }
  }
  return undefined;
}

/** The shape of an `EventType` value: a PascalCase word (`Login`, `URI`, `LightningPageView`). */
const EVENT_TYPE_SHAPE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Why `value` cannot name an event type, by its shape alone: which types exist changes with every Salesforce release
 * and is the org's to say at login, so a rule over a list here would make replays of older histories diverge.
 */
function eventTypeNameProblem(value: string): string | undefined {
  if (EVENT_TYPE_SHAPE.test(value)) return undefined;
  return `${JSON.stringify(value)} is not an EventLogFile event type: event types are single words like "Login" or "LightningPageView"`;
}

/** Records a backfill's progress; what it ingested since its last report counts in the source's totals too. */
export function applyBackfillProgress(s: SourceState, p: BackfillProgress): void {
  const entry = s.backfills.find((b) => b.backfillId === p.backfillId);
  if (!entry) return;
  s.totals.files += Math.max(0, p.filesIngested - entry.filesIngested);
  s.totals.rows += Math.max(0, p.rows - entry.rows);
  Object.assign(entry, p);
}

/** Whether cycles succeed or fail now, and since when. */
export function recordCycleHealth(s: SourceState, cycle: CycleSummary): void {
  if (cycle.error) {
    s.okSince = undefined;
    s.failingSince ??= cycle.startedAt;
  } else {
    s.failingSince = undefined;
    s.okSince ??= cycle.finishedAt ?? cycle.startedAt;
  }
}

export function rememberBackfill(s: SourceState, b: BackfillStatus): void {
  s.backfills = [...s.backfills.filter((x) => x.backfillId !== b.backfillId), b].slice(-MAX_BACKFILLS_SHOWN);
}

export function toStatus(
  sourceId: string,
  s: SourceState,
  extra: Pick<SourceStatus, 'state' | 'filesInFlight'>,
): SourceStatus {
  return {
    sourceId,
    label: s.label,
    state: extra.state,
    paused: s.paused,
    orgId: s.orgId,
    interval: s.interval,
    checkpoint: s.checkpoint,
    startedFrom: s.startedFrom,
    nextRunAt: s.paused ? undefined : s.nextRunAt,
    filesInFlight: extra.filesInFlight,
    lastCycle: s.lastCycle,
    cycles: s.cycles,
    totals: s.totals,
    backfills: s.backfills,
    queuedBackfills: s.queuedBackfills,
    failedFiles: s.failedFiles,
    queuedRetries: s.queuedRetries,
    lastError: s.lastError,
    okSince: s.okSince,
    failingSince: s.failingSince,
    ledgerSize: Object.keys(s.ledger).length,
  };
}
