/** The source workflow's "current details" in the Web UI: what it is doing now, in Markdown. Pure. */
import { describeBackfillProgress } from './backfill-progress';
import type { SourceStatus } from './messages';

/** Failed files listed one by one; the status query has them all. */
const FAILED_FILES_SHOWN = 5;

export function renderSourceDetails(s: SourceStatus): string {
  const lines = [`### ${s.label ?? s.sourceId} — ${s.state}${s.paused ? ' (paused)' : ''}`, ''];
  lines.push(`| | |`, `|---|---|`);
  lines.push(`| Org | ${s.orgId ?? '—'} (${s.interval ?? 'interval not known yet'}) |`);
  lines.push(
    `| Checkpoint | ${s.checkpoint ? `${s.checkpoint.createdDate} / ${s.checkpoint.id}` : '— (from ' + (s.startedFrom ?? 'start') + ')'} |`,
  );
  lines.push(`| Next run | ${s.paused ? 'paused: send `resume`' : (s.nextRunAt ?? '—')} |`);
  lines.push(`| Totals | ${s.totals.files} files, ${s.totals.rows} events, ${s.cycles} cycles |`);
  if (s.lastCycle) {
    const c = s.lastCycle;
    lines.push(
      `| Last cycle | ${c.startedAt}: ${c.filesListed} new files listed, ${c.filesIngested} ingested (${c.rows} events), ${c.filesAlreadyDone} already done, ${c.filesFailed} failed${c.error ? ' — **error**' : ''} |`,
    );
  }
  if (s.filesInFlight.length > 0) {
    lines.push(
      `| In flight | ${s.filesInFlight.map((f) => `${f.eventType} ${f.logDate} seq ${f.sequence}`).join('<br>')} |`,
    );
  }
  for (const b of s.backfills.slice(-3)) {
    lines.push(
      `| Backfill ${b.from} → ${b.to} | ${b.state}: ${describeBackfillProgress(b, Date.now())}${b.error ? ` — ${b.error}` : ''} |`,
    );
  }
  if (s.queuedBackfills.length > 0) lines.push(`| Queued backfills | ${s.queuedBackfills.length} |`);
  if (s.failedFiles.length > 0) {
    const shown = s.failedFiles
      .slice(-FAILED_FILES_SHOWN)
      .map(
        (f) =>
          `${f.eventType} ${f.logDate} \`${f.fileId}\`${f.permanent ? ' (for good)' : ''}: ${f.reason.replace(/\|/g, '\\|')}`,
      );
    const more =
      s.failedFiles.length > shown.length ? `<br>… ${s.failedFiles.length - shown.length} more in status` : '';
    lines.push(
      `| Failed files | ${shown.join('<br>')}${more}<br>retry one: \`elfstream retry ${s.sourceId} <fileId>\` |`,
    );
  }
  if (s.failingSince) lines.push('', `**Failing** since ${s.failingSince}`);
  else if (s.okSince) lines.push('', `OK since ${s.okSince}`);
  if (s.lastError) lines.push('', `**Last error** (${s.lastError.at}): ${s.lastError.message}`);
  return lines.join('\n');
}
