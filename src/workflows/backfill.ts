import {
  ApplicationFailure,
  continueAsNew,
  ContinueAsNew,
  isCancellation,
  getExternalWorkflowHandle,
  patched,
  setCurrentDetails,
  workflowInfo,
} from '@temporalio/workflow';
import { metadataActivities, withSummary } from './activity-options';
import { innermostMessage } from './failures';
import { ingestFiles } from './file-ingestion';
import { sourceWorkflowId } from './ids';
import { describeBackfillProgress } from './backfill-progress';
import type { BackfillProgress } from './messages';
import { backfillProgressSignal } from './messages';

export interface BackfillInput {
  sourceId: string;
  /** LogDate range [from, to). */
  from: string;
  to: string;
  eventTypes?: string[];
  /**
   * The source's ledger (see `SourceState.fileLedger`); absent in backfills started before ledgers were per source,
   * which consult org-scoped entries for every file.
   */
  fileLedger?: 'org' | 'source';
  legacyLedgerUntil?: string;
  /** Carried by continue-as-new. */
  resume?: { after: { createdDate: string; id: string }; progress: BackfillProgress };
}

const PAGE_SIZE = 200;
/** Per-file progress reports to the source are at most this frequent (each is a signal in both histories). */
const REPORT_EVERY_MS = 5_000;

/**
 * Backfills one LogDate range of a source through the same per-file ledger workflows as the live loop (so nothing
 * already ingested is written again), reporting progress to the source. Never moves the live checkpoint.
 */
export async function eventLogBackfillWorkflow(input: BackfillInput): Promise<BackfillProgress> {
  const backfillId = workflowInfo().workflowId;
  // Progress after listing and per file (throttled), not only per page of 200 files; older runs keep per page.
  const perFile = patched('backfill-progress-per-file');
  const progress: BackfillProgress = input.resume?.progress ?? {
    backfillId,
    state: 'running',
    filesListed: 0,
    filesIngested: 0,
    filesSkipped: 0,
    filesFailed: 0,
    rows: 0,
  };
  if (perFile) {
    progress.startedAt ??= workflowInfo().startTime.toISOString();
    progress.bytesListed ??= 0;
    progress.bytesDone ??= 0;
    progress.listingComplete ??= false;
  }
  const source = getExternalWorkflowHandle(sourceWorkflowId(input.sourceId));
  let lastReportMs = Date.now();
  const report = async (): Promise<void> => {
    setCurrentDetails(
      `Backfill of \`${input.sourceId}\`, LogDate ${input.from} → ${input.to}: **${progress.state}**\n\n` +
        (perFile
          ? describeBackfillProgress(progress, Date.now())
          : `${progress.filesIngested} ingested, ${progress.filesSkipped} already done, ${progress.filesFailed} failed of ${progress.filesListed} listed; ${progress.rows} events`) +
        (progress.error ? `\n\n**Error**: ${progress.error}` : ''),
    );
    // The source may be stopped meanwhile; a backfill does not fail because nobody listens.
    lastReportMs = Date.now();
    await source.signal(backfillProgressSignal, { ...progress }).catch(() => undefined);
  };
  const reportSoon = (): void => {
    if (Date.now() - lastReportMs >= REPORT_EVERY_MS) void report();
  };

  try {
    const login = await metadataActivities.login.executeWithOptions(withSummary(`Log in to ${input.sourceId}`), [
      { sourceId: input.sourceId },
    ]);
    const eventTypes = input.eventTypes && input.eventTypes.length > 0 ? input.eventTypes : login.settings.eventTypes;
    let after = input.resume?.after;
    for (;;) {
      const page = await metadataActivities.listBackfillFiles.executeWithOptions(
        withSummary(`List ${input.sourceId} files with LogDate ${input.from} .. ${input.to}`),
        [
          {
            sourceId: input.sourceId,
            interval: login.interval,
            eventTypes,
            logDateFrom: input.from,
            logDateTo: input.to,
            after,
            pageSize: PAGE_SIZE,
          },
        ],
      );
      progress.filesListed += page.files.length;
      if (perFile) {
        progress.bytesListed = (progress.bytesListed ?? 0) + page.files.reduce((n, f) => n + f.logFileLength, 0);
        progress.listingComplete = !page.next;
        await report();
      }
      await ingestFiles({
        sourceId: input.sourceId,
        orgId: login.org.orgId,
        files: page.files,
        legacyLedger: input.fileLedger === 'source' ? undefined : { until: input.legacyLedgerUntil },
        concurrency: login.settings.concurrency,
        onOutcome: (o) => {
          if (o.kind === 'ingested') {
            progress.filesIngested += 1;
            progress.rows += o.result.rows;
          } else if (o.kind === 'failed') progress.filesFailed += 1;
          else progress.filesSkipped += 1;
          if (perFile) {
            progress.bytesDone = (progress.bytesDone ?? 0) + o.file.logFileLength;
            reportSoon();
          }
        },
      });
      await report();
      after = page.next;
      if (!after) break;
      if (workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof eventLogBackfillWorkflow>({ ...input, resume: { after, progress } });
      }
    }
    progress.state = 'completed';
  } catch (err) {
    // Any problem ends the backfill with its reason, rather than failing its workflow task over and over.
    if (isCancellation(err) || err instanceof ContinueAsNew || !(err instanceof Error)) throw err;
    progress.state = 'failed';
    progress.error = innermostMessage(err);
  }
  await report();
  if (progress.state === 'failed')
    throw ApplicationFailure.nonRetryable(`backfill failed: ${progress.error}`, 'BackfillFailed');
  return progress;
}
