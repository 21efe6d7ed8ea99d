import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
/** Runs one child eventLogFileWorkflow per file with bounded concurrency and sorts out what became of each. */
import {
  ApplicationFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  patched,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import type { IngestResult } from '../activities/types';
import { FailureTypes } from '../activities/types';
import type { EventLogFileMeta } from '../salesforce/types';
import { metadataActivities } from './activity-options';
import { innermostApplicationFailure } from './failures';
import { eventLogFileWorkflow } from './file';
import { describeFile } from './file-labels';
import { fileWorkflowId, legacyFileWorkflowId } from './ids';
import { EVENT_TYPE, LOG_DATE, SOURCE_ID } from './search-attributes';

export type FileOutcome =
  | { kind: 'ingested'; file: EventLogFileMeta; result: IngestResult }
  /** Its ledger workflow completed before (another cycle or a backfill ingested it). */
  | { kind: 'already-done'; file: EventLogFileMeta }
  /** Its ledger workflow is running elsewhere (a backfill); look again next cycle. */
  | { kind: 'in-progress'; file: EventLogFileMeta }
  | { kind: 'failed'; file: EventLogFileMeta; reason: string; permanent: boolean };

/** Failure types that mean the whole source is misconfigured, not this one file. */
const SOURCE_LEVEL_FAILURES: string[] = [
  FailureTypes.auth,
  FailureTypes.permission,
  FailureTypes.config,
  FailureTypes.output,
];
/** Failure types after which the file can never be ingested (it does not hold back the checkpoint). */
const PERMANENT_FILE_FAILURES: string[] = [FailureTypes.fileGone, FailureTypes.unreadableFile];

/**
 * Ledger entries were once per org (`elfstream-file-<orgId>-<fileId>`), so a second source of the same org ingested
 * nothing. Histories that started files under those ids replay without this patch; new commands use per-source ids.
 */
export const FILE_LEDGER_PER_SOURCE = 'file-ledger-per-source';

/**
 * Where a source that ingested before ledgers were per source looks for what it already wrote: a completed
 * org-scoped entry that this source started counts as done, for files created before `until` (later ones cannot
 * have one). Absent `until`: every file.
 */
export interface LegacyLedger {
  until?: string;
}

export interface IngestFilesOptions {
  sourceId: string;
  orgId: string;
  files: EventLogFileMeta[];
  /** Set for a source that ingested with org-scoped ledger entries. */
  legacyLedger?: LegacyLedger;
  concurrency: number;
  onStart?: (file: EventLogFileMeta) => void;
  onOutcome?: (outcome: FileOutcome) => void;
}

/**
 * Ingests `files` through their ledger workflows. Throws an ApplicationFailure when a file fails for a reason that
 * concerns the whole source (credentials, permissions, configuration), after the files in flight settle.
 */
export async function ingestFiles(opts: IngestFilesOptions): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  let sourceFailure: ApplicationFailure | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < opts.files.length && !sourceFailure) {
      const file = opts.files[next++]!;
      opts.onStart?.(file);
      const outcome = await ingestOne(opts, file).catch((err: unknown) => {
        if (err instanceof ApplicationFailure) sourceFailure = err;
        else throw err;
        return undefined;
      });
      if (outcome) {
        outcomes.push(outcome);
        opts.onOutcome?.(outcome);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency, opts.files.length)) }, worker));
  if (sourceFailure) throw sourceFailure;
  return outcomes;
}

async function ingestOne(opts: IngestFilesOptions, file: EventLogFileMeta): Promise<FileOutcome> {
  const { sourceId, orgId } = opts;
  let workflowId = legacyFileWorkflowId(orgId, file.id);
  if (patched(FILE_LEDGER_PER_SOURCE)) {
    if (await doneInLegacyLedger(opts, file)) return { kind: 'already-done', file };
    workflowId = fileWorkflowId(sourceId, orgId, file.id);
  }
  try {
    const child = await startChild(eventLogFileWorkflow, {
      workflowId,
      args: [{ sourceId, orgId, file }],
      // The ledger: a file that completed cannot run again; one that failed, timed out or was terminated can.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
      staticSummary: describeFile(file),
      typedSearchAttributes: [
        { key: SOURCE_ID, value: sourceId },
        { key: EVENT_TYPE, value: file.eventType },
        { key: LOG_DATE, value: new Date(file.logDate) },
      ],
    });
    return { kind: 'ingested', file, result: await child.result() };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      const state = await metadataActivities.fileWorkflowState({ workflowId });
      return state === 'completed' ? { kind: 'already-done', file } : { kind: 'in-progress', file };
    }
    if (err instanceof ChildWorkflowFailure) {
      const cause = innermostApplicationFailure(err);
      const type = cause?.type ?? '';
      const reason = cause?.message ?? err.message;
      if (SOURCE_LEVEL_FAILURES.includes(type)) {
        throw ApplicationFailure.create({ type, message: reason, nonRetryable: true });
      }
      return { kind: 'failed', file, reason, permanent: PERMANENT_FILE_FAILURES.includes(type) };
    }
    throw err;
  }
}

/** Whether this source ingested the file under its org-scoped ledger id, before ledgers were per source. */
async function doneInLegacyLedger(opts: IngestFilesOptions, file: EventLogFileMeta): Promise<boolean> {
  const legacy = opts.legacyLedger;
  if (!legacy || (legacy.until !== undefined && Date.parse(file.createdDate) >= Date.parse(legacy.until))) return false;
  const state = await metadataActivities.fileWorkflowState({
    workflowId: legacyFileWorkflowId(opts.orgId, file.id),
    sourceId: opts.sourceId,
  });
  return state === 'completed';
}
