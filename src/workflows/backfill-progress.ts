/** A backfill's progress in words: the same line in the CLI, the live view, `status` and the Web UI. Pure. */
import type { BackfillProgress } from './messages';

/** Files done so far: ingested, skipped as already done, or failed. */
export function backfillFilesDone(p: BackfillProgress): number {
  return p.filesIngested + p.filesSkipped + p.filesFailed;
}

/**
 * When the listed files will be done at the rate so far (by bytes), or undefined while nothing is known yet. Of the
 * files listed so far: while `listingComplete` is false more may come.
 */
export function backfillEta(p: BackfillProgress, nowMs: number): string | undefined {
  const started = p.startedAt ? Date.parse(p.startedAt) : NaN;
  const done = p.bytesDone ?? 0;
  const listed = p.bytesListed ?? 0;
  if (p.state !== 'running' || Number.isNaN(started) || done <= 0 || listed <= done || nowMs <= started)
    return undefined;
  const msPerByte = (nowMs - started) / done;
  return new Date(nowMs + (listed - done) * msPerByte).toISOString();
}

/**
 * e.g. `12/200 files (more being listed), 3456 events, 1.2 MB of 45.0 MB, ETA 2026-12-05T18:00Z`; without the file
 * count (`files (more being listed), …`) when a progress bar shows it.
 */
export function describeBackfillProgress(p: BackfillProgress, nowMs: number, withCount = true): string {
  const count = withCount ? `${backfillFilesDone(p)}/${p.filesListed} ` : '';
  const parts = [`${count}files${p.listingComplete === false ? ' (more being listed)' : ''}`, `${p.rows} events`];
  if (p.bytesListed !== undefined) parts.push(`${megabytes(p.bytesDone ?? 0)} of ${megabytes(p.bytesListed)}`);
  if (p.filesSkipped > 0) parts.push(`${p.filesSkipped} already done`);
  if (p.filesFailed > 0) parts.push(`${p.filesFailed} failed`);
  const eta = backfillEta(p, nowMs);
  // To the minute: a line that changes every second would repeat itself in logs.
  if (eta) parts.push(`ETA ${eta.slice(0, 16)}Z`);
  return parts.join(', ');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
