/**
 * The activity contract between workflow code and the worker: plain, JSON-serializable inputs and results
 * (no secrets: activities resolve credentials on the worker from the source id).
 */
import type { IngestResult as PipelineIngestResult } from '../ingest/types';
import type { RealtimeCursor } from '../realtime/cursor';
import type { EventLogFileMeta, LogInterval } from '../salesforce/types';

/** The non-secret settings of a source, read from the worker's configuration at each cycle. */
export interface SourceSettings {
  sourceId: string;
  label: string;
  eventTypes: string[] | '*';
  interval: 'auto' | LogInterval;
  schedule: string;
  /** Where a source without a checkpoint starts: a fixed instant, or an offset (negative ms) from its first cycle. */
  startFrom: { instant: string } | { offsetMs: number };
  settleWindowMs: number;
  rescanHorizonMs: number;
  concurrency: number;
  chunkRows: number;
  /** The org's EventLogFile retention in ms: backfills reach no further back (absent from older workers). */
  retentionMs?: number;
}

export interface LoginInput {
  sourceId: string;
}

export interface LoginResult {
  settings: SourceSettings;
  org: { orgId: string; username: string; instanceUrl: string; apiVersion: string; hourlyAvailable: boolean };
  /** The interval this cycle lists: the configured one, or for `auto` Hourly when the org has hourly files. */
  interval: LogInterval;
  apiUsage?: { used: number; limit: number };
}

export interface ListFilesInput {
  sourceId: string;
  interval: LogInterval;
  eventTypes: string[] | '*';
  /** Inclusive lower bound of CreatedDate (ISO). */
  createdFrom: string;
  /** Inclusive upper bound of CreatedDate (ISO): now minus the settle window. */
  createdBefore: string;
  /** Keyset position: list only files strictly after this (CreatedDate, Id). */
  after?: { createdDate: string; id: string };
  /** Files already in the ledger; left out of the result to keep history small. */
  excludeIds: string[];
  pageSize: number;
}

export interface ListBackfillFilesInput {
  sourceId: string;
  interval: LogInterval;
  eventTypes: string[] | '*';
  /** LogDate range, [from, to). */
  logDateFrom: string;
  logDateTo: string;
  after?: { createdDate: string; id: string };
  pageSize: number;
}

export interface ListFilesResult {
  files: EventLogFileMeta[];
  /** Files the listing saw but left out because the ledger has them. */
  excluded: number;
  /** The last file the listing looked at (included or excluded), if any. */
  lastSeen?: { createdDate: string; id: string };
  /** Where the next page starts (= lastSeen), present only when more pages remain. */
  next?: { createdDate: string; id: string };
}

export interface IngestInput {
  sourceId: string;
  orgId: string;
  file: EventLogFileMeta;
  /** Instant stamped as p_parse_time on every event of this ingestion (stable across retries). */
  parseTime: string;
}

/** What the pipeline reports (see `runIngest`), and where the output went. */
export interface IngestResult extends PipelineIngestResult {
  /** Where the events went (`LogSink.describe()`, e.g. `file ./data/events (NDJSON, gzip)`). */
  output: string;
}

/** Heartbeat details of ingestEventLogFile: the last committed chunk, so a retry resumes after it. */
export interface IngestProgress {
  chunk: number;
  rows: number;
}

export type FileWorkflowState = 'completed' | 'running' | 'failed' | 'not-found';

/** The real-time settings of a source, read from the worker's configuration at each cycle. */
export interface RealtimeLoginResult {
  orgId: string;
  label: string;
  objects: string[];
  schedule: string;
  /** The source's `startFrom`: where an object without a cursor starts. */
  startFrom: SourceSettings['startFrom'];
}

export interface RealtimeReadInput {
  sourceId: string;
  orgId: string;
  /** A storage event object or SetupAuditTrail. */
  object: string;
  cursor: RealtimeCursor;
  /** Exclusive upper bound of the read (ISO-8601, whole second): the poll's "now", or a backfill's end. */
  until: string;
  /** Stamped as p_parse_time on every record of the read (stable across retries). */
  parseTime: string;
  /** Most records one read takes; a fuller window is narrowed. */
  maxRecords: number;
}

export interface RealtimeReadResult {
  cursor: RealtimeCursor;
  /** New records written to the sink. */
  written: number;
  /** The read stopped before `until`: read again at once. */
  more: boolean;
  /** Latest event time among the records written. */
  newestEventTime?: string;
}

export interface FileWorkflowStateInput {
  workflowId: string;
  /** Only a workflow this source started counts (its SourceId search attribute). */
  sourceId?: string;
}

export interface ElfstreamActivities {
  login(input: LoginInput): Promise<LoginResult>;
  listEventLogFiles(input: ListFilesInput): Promise<ListFilesResult>;
  listBackfillFiles(input: ListBackfillFilesInput): Promise<ListFilesResult>;
  ingestEventLogFile(input: IngestInput): Promise<IngestResult>;
  fileWorkflowState(input: FileWorkflowStateInput): Promise<FileWorkflowState>;
  realtimeLogin(input: { sourceId: string }): Promise<RealtimeLoginResult>;
  readRealtimeObject(input: RealtimeReadInput): Promise<RealtimeReadResult>;
}

/** ApplicationFailure types thrown by activities; workflows branch on these strings. */
export const FailureTypes = {
  /** Credentials rejected or expired beyond refresh: fix the configuration. */
  auth: 'SalesforceAuthError',
  /** Missing permission, API disabled, Event Monitoring not enabled. */
  permission: 'SalesforcePermissionError',
  /** elfstream configuration cannot work (unknown source, bad settings). */
  config: 'ElfstreamConfigError',
  /** Daily API allowance (or its reserve) used up: retried after nextRetryDelay. */
  rateLimited: 'SalesforceRateLimited',
  /** 5xx, resets, timeouts: retried with backoff. */
  transient: 'SalesforceTransient',
  /** The LogFile is gone (retention passed between listing and download). */
  fileGone: 'LogFileGone',
  /** Salesforce rejected the request itself (bad SOQL and the like). */
  invalidRequest: 'SalesforceInvalidRequest',
  /**
   * The LogFile is not an EventLogFile CSV (an HTML page, binary, a header without EVENT_TYPE or sharing almost
   * nothing with LogFileFieldNames) or is truncated (fewer bytes than LogFileLength, a cut gzip stream): the file
   * fails for good, with nothing of it written; an operator can retry it on purpose.
   */
  unreadableFile: 'LogFileUnreadable',
  /**
   * The output refused in a way another attempt cannot change (the collector answers 401/403/413, an S3 object at a
   * chunk's key holds other bytes): fix the output's configuration; the source's cycle names it.
   */
  output: 'OutputRefused',
} as const;

/** Failures after which retrying the same file cannot help. */
export const NON_RETRYABLE_FAILURES: string[] = [
  FailureTypes.auth,
  FailureTypes.permission,
  FailureTypes.config,
  FailureTypes.fileGone,
  FailureTypes.invalidRequest,
  FailureTypes.unreadableFile,
  FailureTypes.output,
];
