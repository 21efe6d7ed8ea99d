import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  ContinueAsNew,
  isCancellation,
  ParentClosePolicy,
  patched,
  setCurrentDetails,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { LoginResult } from '../activities/types';
import { FailureTypes } from '../activities/types';
import { metadataActivities, withCycleSummary } from './activity-options';
import { eventLogBackfillWorkflow, type BackfillInput } from './backfill';
import {
  beginCycle,
  clearPollWait,
  cycleWindow,
  finishCycle,
  finishListing,
  listingRequest,
  rateLimitDelayMs,
  recordCycleError,
  recordLogin,
  recordOutcome,
  schedulePoll,
  settlePage,
} from './cycle';
import { innermostApplicationFailure, innermostMessage } from './failures';
import { FILE_LEDGER_PER_SOURCE, ingestFiles, type LegacyLedger } from './file-ingestion';
import { backfillWorkflowId } from './ids';
import type { SourceStatus } from './messages';
import {
  backfillProgressSignal,
  backfillSignal,
  pauseSignal,
  pollNowSignal,
  resumeSignal,
  retryFileSignal,
  statusQuery,
} from './messages';
import { SOURCE_ID } from './search-attributes';
import { renderSourceDetails } from './source-details';
import type { SourceState } from './source-state';
import * as rules from './source-state';

export interface SourceWorkflowInput {
  sourceId: string;
  /** Carried by continue-as-new, or by a start after a stop (the stopped run's result); absent on a first start. */
  state?: SourceState;
  /** Continue-as-new after this many cycles (tests lower it; otherwise the server's suggestion decides). */
  continueAsNewAfterCycles?: number;
  /**
   * The configured cron schedule when the source was started: followed until a login reports the current one, so
   * a source whose first logins fail keeps its schedule instead of falling back to the default.
   */
  schedule?: string;
  /** Continue-as-new after this many listing pages, within a cycle too (tests lower it; else the server decides). */
  continueAsNewAfterPages?: number;
}

/**
 * The long-lived workflow of one Salesforce source (`elfstream-source-<sourceId>`): waits for the next tick of the
 * source's cron schedule or a signal, runs a poll cycle, keeps its checkpoint and ledger in its own state, and
 * continues-as-new when its history grows. Started with a native `cronSchedule`, it runs one cycle per run and
 * carries its state through the run's result instead.
 */
export async function salesforceSourceWorkflow(input: SourceWorkflowInput): Promise<SourceState> {
  const { sourceId } = input;
  const cronMode = Boolean(workflowInfo().cronSchedule);
  // False only when replaying a run that started before ledgers were per source.
  const startedWithSourceLedger = patched(FILE_LEDGER_PER_SOURCE);
  const carried: unknown = cronMode ? workflowInfo().lastResult : input.state;
  const s = rules.restoreState(carried);
  s.fileLedger ??= startedWithSourceLedger && !carried ? 'source' : 'org';
  const inFlight = new Map<string, SourceStatus['filesInFlight'][number]>();
  let phase: SourceStatus['state'] = 'starting';
  let pollRequested = false;
  let cyclesThisRun = 0;
  let pagesThisRun = 0;

  const status = (): SourceStatus =>
    rules.toStatus(sourceId, s, { state: s.paused ? 'paused' : phase, filesInFlight: [...inFlight.values()] });
  const refreshDetails = (): void => setCurrentDetails(renderSourceDetails(status()));

  setHandler(statusQuery, status);
  setHandler(pauseSignal, () => {
    s.paused = true;
    refreshDetails();
  });
  setHandler(resumeSignal, () => {
    s.paused = false;
    refreshDetails();
  });
  setHandler(pollNowSignal, () => {
    if (s.paused) rules.recordError(s, 'pollNow ignored: the source is paused (send resume first)', Date.now());
    else pollRequested = true;
    refreshDetails();
  });
  setHandler(backfillSignal, (req) => {
    // The command line checks a backfill against the source's configured retention and suggests known event types.
    // The workflow refuses what the org no longer keeps, by the retention its last login reported (up to 365 days
    // before any login), and names that are not one word; never by a list of types, which changes with releases.
    // Histories recorded before kept 30 days and refused near misses of the types 0.1.0 knew (frozen-event-types.ts).
    const current = patched('backfill-retention-up-to-a-year-and-any-event-type');
    const problem = rules.validateBackfill(
      req,
      Date.now(),
      current ? { retentionMs: s.retentionMs ?? rules.MAX_RETENTION_MS } : { legacyEventTypes: true },
    );
    if (problem) rules.recordError(s, `backfill rejected: ${problem}`, Date.now());
    else s.queuedBackfills.push({ from: req.from, to: req.to, eventTypes: req.eventTypes });
    refreshDetails();
  });
  setHandler(retryFileSignal, (fileId) => {
    const problem = rules.queueRetry(s, fileId);
    if (problem) rules.recordError(s, problem, Date.now());
    refreshDetails();
  });
  setHandler(backfillProgressSignal, (p) => {
    rules.applyBackfillProgress(s, p);
    refreshDetails();
  });

  upsertSearchAttributes([{ key: SOURCE_ID, value: sourceId }]);
  refreshDetails();

  /** What a source that once wrote org-scoped ledger entries still consults; marks when it switched. */
  function legacyLedger(): LegacyLedger | undefined {
    if (s.fileLedger !== 'org') return undefined;
    if (s.fileLedgerSwitchedAt === undefined && patched(FILE_LEDGER_PER_SOURCE)) {
      s.fileLedgerSwitchedAt = new Date().toISOString();
    }
    return { until: s.fileLedgerSwitchedAt };
  }

  /** The ledger a backfill starts with: a backfill started without one consults org-scoped entries for all files. */
  function backfillLedger(): Pick<BackfillInput, 'fileLedger' | 'legacyLedgerUntil'> {
    if (!patched(FILE_LEDGER_PER_SOURCE)) return {};
    const legacy = legacyLedger();
    return legacy ? { fileLedger: 'org', legacyLedgerUntil: legacy.until } : { fileLedger: 'source' };
  }

  async function startQueuedBackfills(): Promise<void> {
    while (s.queuedBackfills.length > 0) {
      const req = s.queuedBackfills.shift()!;
      const backfillId = backfillWorkflowId(
        sourceId,
        new Date(req.from).toISOString(),
        new Date(req.to).toISOString(),
        req.eventTypes,
      );
      const entry = {
        backfillId,
        ...req,
        requestedAt: new Date().toISOString(),
        state: 'running' as const,
        filesListed: 0,
        filesIngested: 0,
        filesSkipped: 0,
        filesFailed: 0,
        rows: 0,
      };
      try {
        // Abandoned on close so a backfill outlives this run's continue-as-new; it reports back by signal.
        await startChild(eventLogBackfillWorkflow, {
          workflowId: backfillId,
          args: [{ sourceId, from: req.from, to: req.to, eventTypes: req.eventTypes, ...backfillLedger() }],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          staticSummary: `Backfill ${sourceId}: LogDate ${req.from} → ${req.to}`,
          typedSearchAttributes: [{ key: SOURCE_ID, value: sourceId }],
        });
        rules.rememberBackfill(s, entry);
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        rules.recordError(
          s,
          `backfill ${req.from} .. ${req.to} is already running or done (${backfillId})`,
          Date.now(),
        );
      }
      refreshDetails();
    }
  }

  /** Ingests the failed files a `retryFile` signal asked for, through their file workflows (a failed one may rerun). */
  async function startQueuedRetries(): Promise<void> {
    while (s.queuedRetries.length > 0) {
      const fileId = s.queuedRetries.shift()!;
      const file = s.failedFiles.find((f) => f.fileId === fileId)?.file;
      if (!file || !s.orgId) continue;
      try {
        await ingestFiles({
          sourceId,
          orgId: s.orgId,
          files: [file],
          // A file that completed under its org-scoped entry meanwhile is not written again.
          legacyLedger: legacyLedger(),
          concurrency: 1,
          onStart: (f) => {
            inFlight.set(f.id, { fileId: f.id, eventType: f.eventType, logDate: f.logDate, sequence: f.sequence });
            refreshDetails();
          },
          onOutcome: (o) => {
            inFlight.delete(o.file.id);
            recordOutcome(s, o, undefined, Date.now());
            refreshDetails();
          },
        });
      } catch (err) {
        if (isCancellation(err) || err instanceof ContinueAsNew) throw err;
        inFlight.delete(fileId);
        rules.recordError(s, `retryFile ${fileId} failed: ${innermostMessage(err)}`, Date.now());
        refreshDetails();
      }
    }
  }

  /**
   * One poll cycle, or its continuation after a continue-as-new between listing pages (`s.listing`). Returns
   * 'continue-as-new' when it stopped between pages for the run to continue as new; its position is in `s.listing`.
   */
  async function runCycle(canSplit: boolean): Promise<'done' | 'continue-as-new'> {
    phase = 'polling';
    const { cycle, resumed } = beginCycle(s, Date.now());
    let split = false;
    refreshDetails();
    try {
      const login: LoginResult = await metadataActivities.login.executeWithOptions(
        withCycleSummary(`Log in to ${sourceId}`),
        [{ sourceId }],
      );
      const loginProblem = recordLogin(s, cycle, login, Date.now());
      if (loginProblem !== undefined) {
        throw ApplicationFailure.create({
          type: FailureTypes.config,
          message: `source ${sourceId}: ${loginProblem}`,
          nonRetryable: true,
        });
      }
      const window = cycleWindow(s, cycle, login.settings, resumed, Date.now());
      let after: { createdDate: string; id: string } | undefined = resumed?.after;
      let blocked = resumed?.blocked ?? false;
      do {
        const page = await metadataActivities.listEventLogFiles.executeWithOptions(
          withCycleSummary(`List ${sourceId} files created ${window.from} .. ${window.to}`),
          [
            listingRequest({
              sourceId,
              login,
              window,
              after,
              ledger: s.ledger,
              // Only what this listing can meet: the whole ledger made every listing input as big as the ledger.
              boundedExclusions: patched('bounded-listing-exclusions'),
            }),
          ],
        );
        cycle.filesListed += page.files.length;
        const outcomes = await ingestFiles({
          sourceId,
          orgId: login.org.orgId,
          files: page.files,
          legacyLedger: legacyLedger(),
          concurrency: login.settings.concurrency,
          onStart: (f) => {
            inFlight.set(f.id, { fileId: f.id, eventType: f.eventType, logDate: f.logDate, sequence: f.sequence });
            refreshDetails();
          },
          onOutcome: (o) => {
            inFlight.delete(o.file.id);
            recordOutcome(s, o, cycle, Date.now());
            refreshDetails();
          },
        });
        blocked = settlePage(s, page, outcomes, blocked, login.settings.rescanHorizonMs);
        after = page.next;
        pagesThisRun += 1;
        if (after && canSplit && pageLimitReached() && patched('continue-as-new-between-pages')) {
          s.listing = { window, after, blocked, cycle };
          split = true;
          return 'continue-as-new';
        }
      } while (after);
      finishListing(s, login.settings.rescanHorizonMs);
    } catch (err) {
      // Whatever a configuration or a file makes go wrong ends the cycle with its reason in status: rethrowing it
      // would fail the workflow task over and over, out of sight. Only cancellation (a stop) goes through.
      if (isCancellation(err) || err instanceof ContinueAsNew) throw err;
      if (!(err instanceof Error)) throw err;
      const retryAfterMs = rateLimitDelayMs(innermostApplicationFailure(err));
      recordCycleError(s, cycle, innermostMessage(err), retryAfterMs, Date.now());
    } finally {
      if (!split) {
        finishCycle(s, cycle, Date.now());
        rules.recordCycleHealth(s, cycle);
        cyclesThisRun += 1;
      }
      phase = 'waiting';
      refreshDetails();
    }
    return 'done';
  }

  function pageLimitReached(): boolean {
    const limit = input.continueAsNewAfterPages;
    return (limit !== undefined && pagesThisRun >= limit) || workflowInfo().continueAsNewSuggested;
  }

  if (cronMode) {
    await startQueuedBackfills();
    await startQueuedRetries();
    await runCycle(false);
    await condition(allHandlersFinished);
    return s;
  }

  // A new source polls at once, and so does a run continuing a cycle cut between pages; others wait for a tick.
  let due = s.cycles === 0 || s.listing !== undefined;
  try {
    loop: for (;;) {
      await startQueuedBackfills();
      await startQueuedRetries();
      const limit = input.continueAsNewAfterCycles;
      if ((limit !== undefined && cyclesThisRun >= limit) || workflowInfo().continueAsNewSuggested) break;
      if (s.paused) {
        phase = 'paused';
        refreshDetails();
        await condition(() => !s.paused || s.queuedBackfills.length > 0);
        continue;
      }
      if (!due) {
        // After a rate-limited cycle, not before the delay Salesforce's answer asked for (a pollNow overrides it).
        const nextMs = schedulePoll(s, Date.now(), input.schedule);
        phase = 'waiting';
        refreshDetails();
        const woke = await condition(
          () => pollRequested || s.paused || s.queuedBackfills.length > 0 || s.queuedRetries.length > 0,
          nextMs - Date.now(),
          { summary: `next poll ${s.nextRunAt} (or on pollNow, backfill, pause)` },
        );
        if (s.paused || (woke && !pollRequested)) continue;
      }
      due = false;
      pollRequested = false;
      clearPollWait(s);
      if ((await runCycle(true)) === 'continue-as-new') break loop;
    }
  } catch (err) {
    // Stopped (cancelled): end with the state as the result, so the next start of the source can carry on from it.
    if (!isCancellation(err)) throw err;
    s.nextRunAt = undefined;
    return s;
  }
  phase = 'draining';
  refreshDetails();
  await condition(allHandlersFinished);
  await continueAsNew<typeof salesforceSourceWorkflow>({
    sourceId,
    state: s,
    continueAsNewAfterCycles: input.continueAsNewAfterCycles,
    schedule: input.schedule,
    continueAsNewAfterPages: input.continueAsNewAfterPages,
  });
  throw new Error('unreachable');
}
