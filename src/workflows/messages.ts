/**
 * Signals and queries of the source workflow, shared by the workflows, the elfstream CLI and tests.
 * Signal names are plain strings so `temporal workflow signal --name backfill` and `tctl` work too.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { EventLogFileMeta, LogInterval } from '../salesforce/types';

export interface BackfillRequest {
  /** ISO-8601 instant: first LogDate included. */
  from: string;
  /** ISO-8601 instant: LogDate strictly before this. */
  to: string;
  /** Defaults to the source's configured event types. */
  eventTypes?: string[];
}

/** Sent by a backfill workflow to its source (by workflow id, so it reaches the newest run). */
export interface BackfillProgress {
  backfillId: string;
  state: 'running' | 'completed' | 'failed';
  filesListed: number;
  filesIngested: number;
  filesSkipped: number;
  filesFailed: number;
  rows: number;
  /** Bytes of the files listed, and of those done (ingested, skipped or failed): for rates and an ETA. */
  bytesListed?: number;
  bytesDone?: number;
  /** False while more pages of files remain to be listed (the totals above still grow). */
  listingComplete?: boolean;
  /** When the backfill workflow started. */
  startedAt?: string;
  error?: string;
}

export const backfillSignal = defineSignal<[BackfillRequest]>('backfill');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const pollNowSignal = defineSignal('pollNow');
export const backfillProgressSignal = defineSignal<[BackfillProgress]>('backfillProgress');
/** Ingests one file of `status.failedFiles` again, on purpose (e.g. after Salesforce fixed it): its file id. */
export const retryFileSignal = defineSignal<[string]>('retryFile');

export interface Checkpoint {
  /** CreatedDate of the newest file such that it and every file before it are done. */
  createdDate: string;
  id: string;
}

export interface CycleSummary {
  startedAt: string;
  finishedAt?: string;
  interval?: LogInterval;
  /** CreatedDate window listed: [from, to]. */
  window?: { from: string; to: string };
  filesListed: number;
  filesIngested: number;
  filesAlreadyDone: number;
  filesFailed: number;
  rows: number;
  error?: string;
}

export interface FailedFile {
  fileId: string;
  eventType: string;
  logDate: string;
  sequence: number;
  at: string;
  reason: string;
  /** True when retrying cannot help (e.g. deleted by retention); such files do not hold back the checkpoint. */
  permanent: boolean;
  /** The file as listed, so that `retryFile` can ingest it again (absent on entries recorded by older versions). */
  file?: EventLogFileMeta;
}

export interface BackfillStatus extends BackfillProgress {
  from: string;
  to: string;
  eventTypes?: string[];
  requestedAt: string;
}

export interface SourceStatus {
  sourceId: string;
  label?: string;
  state: 'starting' | 'polling' | 'waiting' | 'paused' | 'draining';
  paused: boolean;
  orgId?: string;
  interval?: LogInterval;
  checkpoint?: Checkpoint;
  /** First CreatedDate this source covers (resolved from startFrom on its first cycle). */
  startedFrom?: string;
  nextRunAt?: string;
  filesInFlight: { fileId: string; eventType: string; logDate: string; sequence: number }[];
  lastCycle?: CycleSummary;
  cycles: number;
  totals: { files: number; rows: number; malformedRows: number };
  /** Backfills started (running or finished, the most recent ones). */
  backfills: BackfillStatus[];
  /** Backfills received and valid, not started yet (the loop starts them between its steps). */
  queuedBackfills: BackfillRequest[];
  failedFiles: FailedFile[];
  /** File ids a `retryFile` signal asked for, not started yet. */
  queuedRetries?: string[];
  lastError?: { at: string; message: string };
  /** Since when cycles succeed (the first success after the last failure), or fail (the first failure of this run of them). */
  okSince?: string;
  failingSince?: string;
  /** Ledger size: recently ingested files remembered to skip on re-listing. */
  ledgerSize: number;
}

export const statusQuery = defineQuery<SourceStatus>('status');
