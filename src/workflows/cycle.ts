/**
 * The decisions of one poll cycle, over a source's state and plain data (pure, deterministic): what a login sets,
 * which listing a page asks for, what a page's outcomes do to the checkpoint, ledger, totals and failed files, and
 * how a cycle's error and the next poll are recorded. `source.ts` wires them to signals, activities and timers.
 */
import type { ListFilesInput, ListFilesResult, LoginResult, SourceSettings } from '../activities/types';
import { FailureTypes } from '../activities/types';
import {
  advanceCheckpoint,
  type FileKey,
  ledgerIdsFrom,
  listingWindow,
  MAX_LEDGER_ENTRIES,
  pruneLedger,
  resolveStartFrom,
} from './checkpoint';
import { cronProblem, nextCronTick } from './cron';
import type { FileOutcome } from './file-ingestion';
import type { CycleSummary } from './messages';
import type { ListingPosition, SourceState } from './source-state';
import { forgetFailedFile, recordError, recordFailedFile } from './source-state';

/** Files one listing page holds at most. */
export const LIST_PAGE_SIZE = 200;
/** Ledger ids handed to one listing at most: the ones nearest its start (the rest are found done by look-up). */
export const MAX_EXCLUDED_IDS = 1_000;
/** The schedule a source polls on while the one it kept from an older run never fires. */
export const DEFAULT_SCHEDULE = '*/15 * * * *';
/** The wait after a rate-limited cycle whose failure named none. */
const DEFAULT_RATE_LIMIT_DELAY_MS = 3600_000;

/**
 * Starts a cycle, or takes up the one a continue-as-new cut between pages (`s.listing`, cleared here). The cycle's
 * summary is `s.lastCycle` from now on.
 */
export function beginCycle(s: SourceState, nowMs: number): { cycle: CycleSummary; resumed?: ListingPosition } {
  const resumed = s.listing;
  s.listing = undefined;
  const cycle: CycleSummary = resumed?.cycle ?? {
    startedAt: new Date(nowMs).toISOString(),
    filesListed: 0,
    filesIngested: 0,
    filesAlreadyDone: 0,
    filesFailed: 0,
    rows: 0,
  };
  s.lastCycle = cycle;
  return resumed ? { cycle, resumed } : { cycle };
}

/**
 * Records what a login reported. Returns what is wrong with the source's schedule (the cycle then fails with it,
 * having recorded the org, label and interval only), or undefined once the schedule, retention and start point are
 * recorded too.
 */
export function recordLogin(
  s: SourceState,
  cycle: CycleSummary,
  login: LoginResult,
  nowMs: number,
): string | undefined {
  s.orgId = login.org.orgId;
  s.label = login.settings.label;
  s.interval = cycle.interval = login.interval;
  // A worker whose configuration the loader of this version would refuse: a cycle error, not a stuck task.
  const scheduleProblem = cronProblem(login.settings.schedule);
  if (scheduleProblem !== undefined) return `schedule ${scheduleProblem}; fix it in the worker's configuration`;
  s.schedule = login.settings.schedule;
  s.retentionMs = login.settings.retentionMs ?? s.retentionMs;
  s.startedFrom ??= resolveStartFrom(login.settings.startFrom, nowMs);
  return undefined;
}

/** The CreatedDate window the cycle lists: the resumed one's, else from the checkpoint's rescan horizon to now. */
export function cycleWindow(
  s: SourceState,
  cycle: CycleSummary,
  settings: Pick<SourceSettings, 'rescanHorizonMs' | 'settleWindowMs'>,
  resumed: ListingPosition | undefined,
  nowMs: number,
): { from: string; to: string } {
  const window =
    resumed?.window ??
    listingWindow({
      checkpoint: s.checkpoint,
      startedFrom: s.startedFrom!,
      rescanHorizonMs: settings.rescanHorizonMs,
      settleWindowMs: settings.settleWindowMs,
      nowMs,
    });
  cycle.window = window;
  return window;
}

/**
 * The listing request for the page after `after`. With `boundedExclusions` (histories since the patch
 * `bounded-listing-exclusions`) it excludes only the ledger ids this listing can meet; before, the whole ledger.
 */
export function listingRequest(p: {
  sourceId: string;
  login: LoginResult;
  window: { from: string; to: string };
  after: FileKey | undefined;
  ledger: SourceState['ledger'];
  boundedExclusions: boolean;
}): ListFilesInput {
  return {
    sourceId: p.sourceId,
    interval: p.login.interval,
    eventTypes: p.login.settings.eventTypes,
    createdFrom: p.window.from,
    createdBefore: p.window.to,
    after: p.after,
    excludeIds: p.boundedExclusions
      ? ledgerIdsFrom(p.ledger, p.after?.createdDate ?? p.window.from, MAX_EXCLUDED_IDS)
      : Object.keys(p.ledger),
    pageSize: LIST_PAGE_SIZE,
  };
}

/**
 * Records what became of a file in the ledger, totals and failed files; `cycle` counts it when a cycle (not a
 * retry on purpose) ingested it. A file ingested or found done leaves the failed files; one failed for good enters
 * the ledger so no later listing offers it again.
 */
export function recordOutcome(s: SourceState, o: FileOutcome, cycle: CycleSummary | undefined, nowMs: number): void {
  const f = o.file;
  if (o.kind === 'ingested') {
    s.ledger[f.id] = f.createdDate;
    if (cycle) cycle.filesIngested += 1;
    if (cycle) cycle.rows += o.result.rows;
    s.totals.files += 1;
    s.totals.rows += o.result.rows;
    s.totals.malformedRows += o.result.malformedRows;
    forgetFailedFile(s, f.id);
  } else if (o.kind === 'already-done') {
    s.ledger[f.id] = f.createdDate;
    if (cycle) cycle.filesAlreadyDone += 1;
    forgetFailedFile(s, f.id);
  } else if (o.kind === 'failed') {
    if (cycle) cycle.filesFailed += 1;
    if (o.permanent) s.ledger[f.id] = f.createdDate;
    recordFailedFile(s, {
      fileId: f.id,
      eventType: f.eventType,
      logDate: f.logDate,
      sequence: f.sequence,
      at: new Date(nowMs).toISOString(),
      reason: o.reason,
      permanent: o.permanent,
      file: f,
    });
  }
}

/**
 * After a page's files are settled: moves the checkpoint over the done ones (unless a file not done earlier in the
 * cycle `blocked` it) and bounds the ledger. Returns whether the checkpoint is blocked for the rest of the cycle.
 */
export function settlePage(
  s: SourceState,
  page: Pick<ListFilesResult, 'files' | 'lastSeen' | 'next'>,
  outcomes: FileOutcome[],
  blocked: boolean,
  rescanHorizonMs: number,
): boolean {
  if (!blocked) {
    const done = new Set(
      outcomes
        .filter((o) => o.kind === 'ingested' || o.kind === 'already-done' || (o.kind === 'failed' && o.permanent))
        .map((o) => o.file.id),
    );
    const files = page.files.map((f) => ({ createdDate: f.createdDate, id: f.id, done: done.has(f.id) }));
    const adv = advanceCheckpoint(s.checkpoint, { files, lastSeen: page.next ?? page.lastSeen });
    s.checkpoint = adv.checkpoint;
    blocked = adv.blocked;
  }
  // Bounded between pages too: a first cycle over weeks of files would otherwise carry them all.
  s.ledger = pruneLedger(s.ledger, s.checkpoint, rescanHorizonMs, MAX_LEDGER_ENTRIES);
  return blocked;
}

/** After the last page: forgets the ledger entries no future listing window can reach. */
export function finishListing(s: SourceState, rescanHorizonMs: number): void {
  s.ledger = pruneLedger(s.ledger, s.checkpoint, rescanHorizonMs);
}

/** The wait a rate-limited login or listing asks for (the activity puts it in the failure's details). */
export function rateLimitDelayMs(
  failure: { type?: string | null; details?: unknown[] | null } | undefined,
): number | undefined {
  if (failure?.type !== FailureTypes.rateLimited) return undefined;
  const ms = (failure.details?.[0] as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  return typeof ms === 'number' && ms > 0 ? ms : DEFAULT_RATE_LIMIT_DELAY_MS;
}

/** Records why a cycle failed; a rate-limited one also sets the instant before which no cycle runs. */
export function recordCycleError(
  s: SourceState,
  cycle: CycleSummary,
  message: string,
  retryAfterMs: number | undefined,
  nowMs: number,
): void {
  cycle.error = message;
  recordError(s, `cycle failed: ${message}`, nowMs);
  if (retryAfterMs !== undefined) s.retryAt = new Date(nowMs + retryAfterMs).toISOString();
}

/** Ends a cycle that ran to its end (not one cut between pages). */
export function finishCycle(s: SourceState, cycle: CycleSummary, nowMs: number): void {
  cycle.finishedAt = new Date(nowMs).toISOString();
  s.cycles += 1;
}

/**
 * When the next cycle is due: the schedule's next tick, but not before a rate limit's `retryAt`; recorded as
 * `nextRunAt`. Until a login reports the source's schedule, the one it was started with is followed (so failed
 * first logins never change it). A schedule that never fires (kept from an older run) is reported and the default
 * one is used.
 */
export function schedulePoll(s: SourceState, nowMs: number, startedWith?: string): number {
  const nextMs = Math.max(nextTick(s, nowMs, startedWith), s.retryAt ? Date.parse(s.retryAt) : 0);
  s.nextRunAt = new Date(nextMs).toISOString();
  return nextMs;
}

function nextTick(s: SourceState, nowMs: number, startedWith: string | undefined): number {
  const schedule = s.schedule ?? startedWith ?? DEFAULT_SCHEDULE;
  const problem = cronProblem(schedule);
  if (problem === undefined) return nextCronTick(schedule, nowMs);
  recordError(s, `schedule ${problem}: polling on ${DEFAULT_SCHEDULE} until it is fixed`, nowMs);
  return nextCronTick(DEFAULT_SCHEDULE, nowMs);
}

/** A poll is starting: it is no longer waiting for a tick, nor held back by a rate limit. */
export function clearPollWait(s: SourceState): void {
  s.nextRunAt = undefined;
  s.retryAt = undefined;
}
