/**
 * The per-object cursor of the real-time channel and the rules that move it. Pure (no I/O): the activity applies
 * them to what it read, the workflow keeps the result in its state. All instants are ISO-8601 at whole seconds,
 * because SOQL datetime literals are whole seconds.
 *
 * Storage events: every event with `EventDate < through` has been written, except those that become queryable
 * late. Each read re-reads from `from` (at most {@link OVERLAP_WINDOW_MS} before the read's upper bound) and drops
 * the events already written, remembered in `seen` as `EventDate|EventIdentifier` for EventDates at or after
 * `from` only, so `seen` stays bounded by the events of one overlap window.
 *
 * SetupAuditTrail: a keyset `(CreatedDate, Id)` of the last record written, as for EventLogFiles; records are
 * visible when created.
 */

/** How long after its EventDate a storage event may still become queryable; re-read on every poll. */
export const OVERLAP_WINDOW_MS = 5 * 60_000;

export interface RealtimeCursor {
  /** Everything before this instant has been read (exclusive upper bound of what was read). */
  through: string;
  /** Storage events: the lower bound of the next read (the overlap window). */
  from?: string;
  /** Storage events: `EventDate|EventIdentifier` of the events written with EventDate >= from. */
  seen?: string[];
  /** SetupAuditTrail: the last record written. */
  after?: { createdDate: string; id: string };
}

/** The cursor of an object that has not been read yet. */
export function initialCursor(startedFrom: string): RealtimeCursor {
  const at = wholeSecond(Date.parse(startedFrom));
  return { through: at, from: at, seen: [] };
}

/** `ms` as ISO-8601 at the second (floor). */
export function wholeSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}

/**
 * The upper bound of the next storage-event read: half-way between `through` and `upper`, for a window that holds
 * more events than one read takes (narrowing EventDate windows instead of OFFSET, which big objects lack). Never
 * below one second past `through`, so each read makes progress.
 */
export function narrowedUpper(through: string, upper: string): string {
  const lo = Date.parse(through);
  const hi = Date.parse(upper);
  return wholeSecond(Math.max(lo + 1000, lo + Math.floor((hi - lo) / 2)));
}

/** Whether a window [through, upper) can still be narrowed. */
export function canNarrow(through: string, upper: string): boolean {
  return Date.parse(upper) - Date.parse(through) > 1000;
}

/** One storage event as the cursor sees it. */
export interface SeenEvent {
  eventDate: string;
  eventIdentifier: string;
}

export function seenKey(e: SeenEvent): string {
  return `${e.eventDate}|${e.eventIdentifier}`;
}

/**
 * The storage-event cursor after reading every event of [cursor.from, readUpper) and writing the new ones.
 * `until` is the poll's own upper bound ("now"): events older than `until - overlap` are taken as all visible.
 */
export function advanceEventCursor(
  cursor: RealtimeCursor,
  written: readonly SeenEvent[],
  readUpper: string,
  until: string,
  overlapMs: number = OVERLAP_WINDOW_MS,
): RealtimeCursor {
  const from = cursor.from ?? cursor.through;
  const settled = Date.parse(until) - overlapMs;
  const nextFromMs = Math.max(Date.parse(from), Math.min(Date.parse(readUpper), settled));
  const nextFrom = wholeSecond(nextFromMs);
  const keep = (key: string): boolean => Date.parse(key.slice(0, key.indexOf('|'))) >= nextFromMs;
  const seen = [...(cursor.seen ?? []), ...written.map(seenKey)].filter(keep);
  return { through: readUpper, from: nextFrom, seen: [...new Set(seen)].sort() };
}

/** How far the cursor trails `nowMs`, in seconds (0 when it is ahead). */
export function cursorLagSeconds(cursor: RealtimeCursor, nowMs: number): number {
  return Math.max(0, Math.round((nowMs - Date.parse(cursor.through)) / 1000));
}
