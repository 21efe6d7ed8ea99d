/** The state of a source's real-time workflow, its status shape and the rules that change it. Pure. */
import { defineQuery } from '@temporalio/workflow';
import { cursorLagSeconds, initialCursor, type RealtimeCursor } from '../realtime/cursor';

/** Storage events are kept about six months, the Setup Audit Trail 180 days: older ranges cannot be read. */
export const REALTIME_RETENTION_MS = 180 * 24 * 3600_000;
const MAX_BACKFILLS_SHOWN = 20;

/** A range read again after the fact, object by object, with cursors of its own. */
export interface RealtimeBackfill {
  backfillId: string;
  from: string;
  to: string;
  objects: string[];
  requestedAt: string;
  state: 'queued' | 'running' | 'completed' | 'failed';
  cursors: Record<string, RealtimeCursor>;
  written: number;
  error?: string;
}

export interface ObjectProgress {
  /** Records written by live reads (backfills count separately). */
  written: number;
  lastReadAt?: string;
  newestEventTime?: string;
  error?: string;
}

export interface RealtimeState {
  paused: boolean;
  /** The first instant live reads cover: backfills must end at or before it. */
  startedFrom?: string;
  cursors: Record<string, RealtimeCursor>;
  progress: Record<string, ObjectProgress>;
  backfills: RealtimeBackfill[];
  cycles: number;
  orgId?: string;
  label?: string;
  schedule?: string;
  objects?: string[];
  nextRunAt?: string;
  lastError?: { at: string; message: string };
}

export interface RealtimeObjectStatus {
  object: string;
  /** Everything before this instant has been read. */
  cursor?: string;
  /** How far the cursor trails now, in seconds. */
  lagSeconds?: number;
  written: number;
  lastReadAt?: string;
  newestEventTime?: string;
  error?: string;
}

export interface RealtimeStatus {
  sourceId: string;
  channel: 'realtime';
  label?: string;
  state: 'starting' | 'polling' | 'waiting' | 'paused' | 'draining';
  paused: boolean;
  orgId?: string;
  schedule?: string;
  startedFrom?: string;
  nextRunAt?: string;
  cycles: number;
  objects: RealtimeObjectStatus[];
  backfills: Omit<RealtimeBackfill, 'cursors'>[];
  lastError?: { at: string; message: string };
}

/** Same name as the source workflow's query, so `elfstream status` and `temporal workflow query` read both. */
export const realtimeStatusQuery = defineQuery<RealtimeStatus>('status');

export function initialRealtimeState(): RealtimeState {
  return { paused: false, cursors: {}, progress: {}, backfills: [], cycles: 0 };
}

export function restoreRealtimeState(raw: unknown): RealtimeState {
  const s = initialRealtimeState();
  if (!raw || typeof raw !== 'object') return s;
  return { ...s, ...(raw as Partial<RealtimeState>) };
}

/** The cursor of `object`, starting at `startedFrom` for an object added to the configuration. */
export function cursorOf(s: RealtimeState, object: string, startedFrom: string): RealtimeCursor {
  s.cursors[object] ??= initialCursor(startedFrom);
  return s.cursors[object];
}

export function recordRealtimeError(s: RealtimeState, message: string, nowMs: number): void {
  s.lastError = { at: new Date(nowMs).toISOString(), message };
}

/**
 * Checks a backfill request. A backfill covers only time before the live cursors started (so nothing is written
 * twice) and within retention, and must not overlap an earlier backfill.
 */
export function validateRealtimeBackfill(s: RealtimeState, req: unknown, nowMs: number): string | undefined {
  if (!req || typeof req !== 'object')
    return 'backfill needs {"from": ISO-8601, "to": ISO-8601, "eventTypes"?: [objects]}';
  const { from, to, eventTypes } = req as Record<string, unknown>;
  if (typeof from !== 'string' || Number.isNaN(Date.parse(from)))
    return `backfill "from" must be an ISO-8601 instant, got ${JSON.stringify(from)}`;
  if (typeof to !== 'string' || Number.isNaN(Date.parse(to)))
    return `backfill "to" must be an ISO-8601 instant, got ${JSON.stringify(to)}`;
  const f = Date.parse(from);
  const t = Date.parse(to);
  if (f >= t) return `backfill range is empty: "from" (${from}) must be before "to" (${to})`;
  if (f < nowMs - REALTIME_RETENTION_MS)
    return `backfill "from" ${from} is beyond the 180-day retention of storage events and the Setup Audit Trail`;
  if (s.startedFrom !== undefined && t > Date.parse(s.startedFrom))
    return `backfill "to" ${to} is after ${s.startedFrom}, where live reads started: that range is collected already`;
  for (const b of s.backfills) {
    if (b.state !== 'failed' && f < Date.parse(b.to) && Date.parse(b.from) < t)
      return `backfill ${from} .. ${to} overlaps backfill ${b.from} .. ${b.to} (${b.state})`;
  }
  if (eventTypes !== undefined && (!Array.isArray(eventTypes) || eventTypes.some((o) => typeof o !== 'string')))
    return 'backfill "eventTypes" must be a list of real-time object names';
  return undefined;
}

export function toRealtimeStatus(
  sourceId: string,
  s: RealtimeState,
  state: RealtimeStatus['state'],
  nowMs: number,
): RealtimeStatus {
  const names = s.objects ?? Object.keys(s.cursors);
  return {
    sourceId,
    channel: 'realtime',
    label: s.label,
    state: s.paused ? 'paused' : state,
    paused: s.paused,
    orgId: s.orgId,
    schedule: s.schedule,
    startedFrom: s.startedFrom,
    nextRunAt: s.paused ? undefined : s.nextRunAt,
    cycles: s.cycles,
    objects: names.map((object) => {
      const c = s.cursors[object];
      const p = s.progress[object];
      return {
        object,
        cursor: c?.through,
        lagSeconds: c ? cursorLagSeconds(c, nowMs) : undefined,
        written: p?.written ?? 0,
        lastReadAt: p?.lastReadAt,
        newestEventTime: p?.newestEventTime,
        error: p?.error,
      };
    }),
    backfills: s.backfills.map(({ cursors: _cursors, ...rest }) => rest),
    lastError: s.lastError,
  };
}

export function rememberRealtimeBackfill(s: RealtimeState, b: RealtimeBackfill): void {
  const done = s.backfills.filter((x) => x.state === 'completed' || x.state === 'failed');
  const open = s.backfills.filter((x) => x.state === 'queued' || x.state === 'running');
  s.backfills = [...done.slice(-(MAX_BACKFILLS_SHOWN - open.length - 1)), ...open, b];
}
