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
  advanceCheckpoint,
  ledgerIdsFrom,
  listingWindow,
  MAX_LEDGER_ENTRIES,
  pruneLedger,
  resolveStartFrom,
} from './checkpoint';
import { cronProblem, nextCronTick } from './cron';
import { innermostApplicationFailure, innermostMessage } from './failures';
import { FILE_LEDGER_PER_SOURCE, ingestFiles, type FileOutcome, type LegacyLedger } from './file-ingestion';
import { backfillWorkflowId } from './ids';
import type { CycleSummary, SourceStatus } from './messages';
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

const LIST_PAGE_SIZE = 200;
/** Ledger ids handed to one listing at most: the ones nearest its start (the rest are found done by look-up). */
const MAX_EXCLUDED_IDS = 1_000;

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
    // The command line checks a backfill against the source's configured retention and warns about near misses of
    // known event types. The workflow refuses what the org no longer keeps, by the retention its last login
    // reported (up to 365 days before any login). Histories recorded before kept 30 days and refused near misses.
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
            recordOutcome(o);
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
    const resumed = s.listing;
    s.listing = undefined;
    const cycle: CycleSummary = resumed?.cycle ?? {
      startedAt: new Date().toISOString(),
      filesListed: 0,
      filesIngested: 0,
      filesAlreadyDone: 0,
      filesFailed: 0,
      rows: 0,
    };
    s.lastCycle = cycle;
    let split = false;
    refreshDetails();
    try {
      const login: LoginResult = await metadataActivities.login.executeWithOptions(
        withCycleSummary(`Log in to ${sourceId}`),
        [{ sourceId }],
      );
      s.orgId = login.org.orgId;
      s.label = login.settings.label;
      s.interval = cycle.interval = login.interval;
      // A worker whose configuration the loader of this version would refuse: a cycle error, not a stuck task.
      const scheduleProblem = cronProblem(login.settings.schedule);
      if (scheduleProblem !== undefined) {
        throw ApplicationFailure.create({
          type: FailureTypes.config,
          message: `source ${sourceId}: schedule ${scheduleProblem}; fix it in the worker's configuration`,
          nonRetryable: true,
        });
      }
      s.schedule = login.settings.schedule;
      s.retentionMs = login.settings.retentionMs ?? s.retentionMs;
      s.startedFrom ??= resolveStartFrom(login.settings.startFrom, Date.now());
      const window =
        resumed?.window ??
        listingWindow({
          checkpoint: s.checkpoint,
          startedFrom: s.startedFrom,
          rescanHorizonMs: login.settings.rescanHorizonMs,
          settleWindowMs: login.settings.settleWindowMs,
          nowMs: Date.now(),
        });
      cycle.window = window;
      let after: { createdDate: string; id: string } | undefined = resumed?.after;
      let blocked = resumed?.blocked ?? false;
      do {
        const page = await metadataActivities.listEventLogFiles.executeWithOptions(
          withCycleSummary(`List ${sourceId} files created ${window.from} .. ${window.to}`),
          [
            {
              sourceId,
              interval: login.interval,
              eventTypes: login.settings.eventTypes,
              createdFrom: window.from,
              createdBefore: window.to,
              after,
              // Only what this listing can meet: the whole ledger made every listing input as big as the ledger.
              excludeIds: patched('bounded-listing-exclusions')
                ? ledgerIdsFrom(s.ledger, after?.createdDate ?? window.from, MAX_EXCLUDED_IDS)
                : Object.keys(s.ledger),
              pageSize: LIST_PAGE_SIZE,
            },
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
            recordOutcome(o, cycle);
            refreshDetails();
          },
        });
        const done = new Set(
          outcomes
            .filter((o) => o.kind === 'ingested' || o.kind === 'already-done' || (o.kind === 'failed' && o.permanent))
            .map((o) => o.file.id),
        );
        if (!blocked) {
          const files = page.files.map((f) => ({ createdDate: f.createdDate, id: f.id, done: done.has(f.id) }));
          const adv = advanceCheckpoint(s.checkpoint, { files, lastSeen: page.next ?? page.lastSeen });
          s.checkpoint = adv.checkpoint;
          blocked = adv.blocked;
        }
        // Bounded between pages too: a first cycle over weeks of files would otherwise carry them all.
        s.ledger = pruneLedger(s.ledger, s.checkpoint, login.settings.rescanHorizonMs, MAX_LEDGER_ENTRIES);
        after = page.next;
        pagesThisRun += 1;
        if (after && canSplit && pageLimitReached() && patched('continue-as-new-between-pages')) {
          s.listing = { window, after, blocked, cycle };
          split = true;
          return 'continue-as-new';
        }
      } while (after);
      s.ledger = pruneLedger(s.ledger, s.checkpoint, login.settings.rescanHorizonMs);
    } catch (err) {
      // Whatever a configuration or a file makes go wrong ends the cycle with its reason in status: rethrowing it
      // would fail the workflow task over and over, out of sight. Only cancellation (a stop) goes through.
      if (isCancellation(err) || err instanceof ContinueAsNew) throw err;
      if (!(err instanceof Error)) throw err;
      cycle.error = innermostMessage(err);
      rules.recordError(s, `cycle failed: ${cycle.error}`, Date.now());
      const retryAfterMs = rateLimitDelayMs(err);
      if (retryAfterMs !== undefined) s.retryAt = new Date(Date.now() + retryAfterMs).toISOString();
    } finally {
      if (!split) {
        cycle.finishedAt = new Date().toISOString();
        rules.recordCycleHealth(s, cycle);
        s.cycles += 1;
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

  /** Records what became of a file; `cycle` counts it when a cycle (not a retry on purpose) ingested it. */
  function recordOutcome(o: FileOutcome, cycle?: CycleSummary): void {
    const f = o.file;
    if (o.kind === 'ingested') {
      s.ledger[f.id] = f.createdDate;
      if (cycle) cycle.filesIngested += 1;
      if (cycle) cycle.rows += o.result.rows;
      s.totals.files += 1;
      s.totals.rows += o.result.rows;
      s.totals.malformedRows += o.result.malformedRows;
      rules.forgetFailedFile(s, f.id);
    } else if (o.kind === 'already-done') {
      s.ledger[f.id] = f.createdDate;
      if (cycle) cycle.filesAlreadyDone += 1;
      rules.forgetFailedFile(s, f.id);
    } else if (o.kind === 'failed') {
      if (cycle) cycle.filesFailed += 1;
      if (o.permanent) s.ledger[f.id] = f.createdDate;
      rules.recordFailedFile(s, {
        fileId: f.id,
        eventType: f.eventType,
        logDate: f.logDate,
        sequence: f.sequence,
        at: new Date().toISOString(),
        reason: o.reason,
        permanent: o.permanent,
        file: f,
      });
    }
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
        const nextMs = Math.max(nextTick(), s.retryAt ? Date.parse(s.retryAt) : 0);
        s.nextRunAt = new Date(nextMs).toISOString();
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
      s.nextRunAt = undefined;
      s.retryAt = undefined;
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

  /**
   * The next tick of the source's schedule (the configured one until a login reports it); a schedule that never
   * fires (kept from an older run) is reported.
   */
  function nextTick(): number {
    const schedule = s.schedule ?? input.schedule ?? DEFAULT_SCHEDULE;
    if (cronProblem(schedule) === undefined) return nextCronTick(schedule, Date.now());
    rules.recordError(
      s,
      `schedule ${cronProblem(schedule)}: polling on ${DEFAULT_SCHEDULE} until it is fixed`,
      Date.now(),
    );
    return nextCronTick(DEFAULT_SCHEDULE, Date.now());
  }
}

/** Only for sources started without a schedule (by an older `start`) that never logged in. */
const DEFAULT_SCHEDULE = '*/15 * * * *';

/** The wait a rate-limited login or listing asks for (the activity puts it in the failure's details). */
function rateLimitDelayMs(err: unknown): number | undefined {
  const cause = innermostApplicationFailure(err);
  if (cause?.type !== FailureTypes.rateLimited) return undefined;
  const ms = (cause.details?.[0] as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof ms === 'number' && ms > 0 ? ms : 3600_000;
}
