/** The real-time workflow's "current details" in the Web UI: per-object cursor and lag, in Markdown. Pure. */
import type { RealtimeStatus } from './realtime-state';

export function renderRealtimeDetails(s: RealtimeStatus): string {
  const lines = [`### ${s.label ?? s.sourceId} — real-time channel — ${s.state}${s.paused ? ' (paused)' : ''}`, ''];
  lines.push('| Object | Cursor | Lag | Written | Last read |', '|---|---|---|---|---|');
  for (const o of s.objects) {
    const lag = o.lagSeconds === undefined ? '—' : `${o.lagSeconds} s`;
    const error = o.error ? ` — **error**: ${o.error}` : '';
    lines.push(`| ${o.object} | ${o.cursor ?? '—'} | ${lag} | ${o.written} | ${o.lastReadAt ?? '—'}${error} |`);
  }
  lines.push('', `Next read: ${s.paused ? 'paused: send `resume`' : (s.nextRunAt ?? '—')}; ${s.cycles} cycles.`);
  for (const b of s.backfills.slice(-3)) {
    lines.push(`Backfill ${b.from} → ${b.to}: ${b.state}, ${b.written} records${b.error ? ` — ${b.error}` : ''}`);
  }
  if (s.lastError) lines.push('', `**Last error** (${s.lastError.at}): ${s.lastError.message}`);
  return lines.join('\n');
}
