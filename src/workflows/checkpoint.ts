/**
 * Checkpoint rules (pure, deterministic): order and resume on (CreatedDate, Id), re-list a trailing rescan horizon
 * every cycle, skip what the ledger already holds, and only advance over files that are done.
 */
import type { Checkpoint } from './messages';

export interface FileKey {
  createdDate: string;
  id: string;
}

/** Ledger: file id -> CreatedDate of files that are done (ingested, or failed for good). */
export type Ledger = Record<string, string>;

export function compareKeys(a: FileKey, b: FileKey): number {
  const ta = Date.parse(a.createdDate);
  const tb = Date.parse(b.createdDate);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function maxKey<T extends FileKey>(a: T | undefined, b: T): T {
  return a === undefined || compareKeys(b, a) > 0 ? b : a;
}

/** CreatedDate window of one cycle: from the rescan horizon behind the checkpoint to now minus the settle window. */
export function listingWindow(p: {
  checkpoint?: Checkpoint;
  startedFrom: string;
  rescanHorizonMs: number;
  settleWindowMs: number;
  nowMs: number;
}): { from: string; to: string } {
  const start = Date.parse(p.startedFrom);
  const from = p.checkpoint ? Math.max(start, Date.parse(p.checkpoint.createdDate) - p.rescanHorizonMs) : start;
  return { from: new Date(from).toISOString(), to: new Date(p.nowMs - p.settleWindowMs).toISOString() };
}

/**
 * Where the checkpoint may move after a page: past every file of the page when all are done, otherwise up to the
 * last done file before the first one that is not. Never moves backwards.
 */
export function advanceCheckpoint(
  current: Checkpoint | undefined,
  page: { files: (FileKey & { done: boolean })[]; lastSeen?: FileKey },
): { checkpoint: Checkpoint | undefined; blocked: boolean } {
  let candidate: FileKey | undefined;
  const sorted = [...page.files].sort(compareKeys);
  for (const f of sorted) {
    if (!f.done) return { checkpoint: candidate ? maxKey(current, pick(candidate)) : current, blocked: true };
    candidate = f;
  }
  if (page.lastSeen && (!candidate || compareKeys(page.lastSeen, candidate) > 0)) candidate = page.lastSeen;
  return { checkpoint: candidate ? maxKey(current, pick(candidate)) : current, blocked: false };
}

function pick(k: FileKey): Checkpoint {
  return { createdDate: k.createdDate, id: k.id };
}

/** Forgets ledger entries that no future listing window can reach. */
export function pruneLedger(ledger: Ledger, checkpoint: Checkpoint | undefined, rescanHorizonMs: number): Ledger {
  if (!checkpoint) return ledger;
  const horizon = Date.parse(checkpoint.createdDate) - rescanHorizonMs;
  const kept: Ledger = {};
  for (const [id, created] of Object.entries(ledger)) if (Date.parse(created) >= horizon) kept[id] = created;
  return kept;
}

/** Resolves a source's start point against the instant of its first cycle. */
export function resolveStartFrom(startFrom: { instant: string } | { offsetMs: number }, nowMs: number): string {
  return 'instant' in startFrom
    ? new Date(startFrom.instant).toISOString()
    : new Date(nowMs + startFrom.offsetMs).toISOString();
}
