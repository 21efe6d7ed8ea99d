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

/**
 * Entries the ledger keeps at most. A checkpoint held back for long (a file failing again and again) would otherwise
 * let the ledger grow with every file after it; the oldest entries go first, and a file they covered that is listed
 * again is found done by its file workflow instead (one look-up, nothing written twice).
 */
export const MAX_LEDGER_ENTRIES = 5_000;

/** Forgets ledger entries that no future listing window can reach, and the oldest beyond `maxEntries`. */
export function pruneLedger(
  ledger: Ledger,
  checkpoint: Checkpoint | undefined,
  rescanHorizonMs: number,
  maxEntries = Infinity,
): Ledger {
  let entries = Object.entries(ledger);
  if (checkpoint) {
    const horizon = Date.parse(checkpoint.createdDate) - rescanHorizonMs;
    entries = entries.filter(([, created]) => Date.parse(created) >= horizon);
  }
  if (entries.length > maxEntries) {
    entries = entries.sort(([, a], [, b]) => Date.parse(b) - Date.parse(a)).slice(0, maxEntries);
  }
  return Object.fromEntries(entries);
}

/** Ledger ids a listing that starts at `from` can meet, nearest first, at most `max`: its exclusions. */
export function ledgerIdsFrom(ledger: Ledger, from: string, max: number): string[] {
  const start = Date.parse(from);
  return Object.entries(ledger)
    .filter(([, created]) => Date.parse(created) >= start)
    .sort(([, a], [, b]) => Date.parse(a) - Date.parse(b))
    .slice(0, max)
    .map(([id]) => id);
}

/** Resolves a source's start point against the instant of its first cycle. */
export function resolveStartFrom(startFrom: { instant: string } | { offsetMs: number }, nowMs: number): string {
  return 'instant' in startFrom
    ? new Date(startFrom.instant).toISOString()
    : new Date(nowMs + startFrom.offsetMs).toISOString();
}
