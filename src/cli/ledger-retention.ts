/**
 * How long the ledger remembers a file. The ledger is the file workflows, and the server deletes a closed workflow
 * once the namespace's retention has passed; a backfill that reaches files whose workflows are gone ingests them
 * again. So the namespace's retention must cover the furthest a backfill can reach: the org's EventLogFile
 * retention (`sources[].retention`), plus a margin for files ingested a while after they were created.
 */
import type { Client } from '@temporalio/client';
import type { ElfstreamConfig } from '../config/types';

const DAY_MS = 24 * 3_600_000;
/** Files are ingested some time after their CreatedDate (settle window, outages): the ledger must outlast that. */
export const RETENTION_MARGIN_DAYS = 2;

/** The namespace retention, in whole days, that lets every source's furthest backfill meet its ledger. */
export function neededRetentionDays(config: ElfstreamConfig): number {
  const reach = Math.max(...config.sources.map((s) => s.retentionMs));
  return Math.ceil(reach / DAY_MS) + RETENTION_MARGIN_DAYS;
}

/** The namespace's retention of closed workflows, in ms. */
export async function namespaceRetentionMs(client: Client, namespace: string): Promise<number> {
  const r = await client.workflowService.describeNamespace({ namespace });
  const ttl = r.config?.workflowExecutionRetentionTtl;
  return Number(ttl?.seconds ?? 0) * 1000 + Math.floor((ttl?.nanos ?? 0) / 1e6);
}

export function formatDays(ms: number): string {
  const days = ms / DAY_MS;
  return `${Number.isInteger(days) ? days : days.toFixed(1)} day${days === 1 ? '' : 's'}`;
}

/** The warning `start` prints when the namespace forgets files sooner than backfills can reach; undefined if not. */
export function retentionWarning(config: ElfstreamConfig, retentionMs: number): string | undefined {
  const needed = neededRetentionDays(config);
  if (retentionMs >= needed * DAY_MS) return undefined;
  const ns = config.temporal.namespace;
  return (
    `warning: namespace ${ns} keeps closed workflows for ${formatDays(retentionMs)}, but backfills reach ` +
    `${formatDays(needed * DAY_MS - RETENTION_MARGIN_DAYS * DAY_MS)} back (sources[].retention): a file ingested ` +
    `more than ${formatDays(retentionMs)} ago is forgotten, and backfills refuse ranges older than that. Run ` +
    `\`elfstream setup\` (sets ${needed} days), or \`temporal operator namespace update -n ${ns} --retention ${needed * 24}h\`; ` +
    'on Temporal Cloud, whose limit is 90 days, set it in the Cloud UI or with tcld (see docs/retention.md).'
  );
}

/**
 * Why a backfill from `fromMs` cannot rely on the ledger, or undefined when it can: a file with LogDate >= now −
 * retention was created, so ingested, less than `retention` ago, and its file workflow still exists.
 */
export function ledgerProblem(
  namespace: string,
  retentionMs: number,
  fromMs: number,
  nowMs: number,
): string | undefined {
  const remembered = nowMs - retentionMs;
  if (fromMs >= remembered) return undefined;
  return (
    `backfill refused: it starts at ${new Date(fromMs).toISOString()}, but namespace ${namespace} keeps closed ` +
    `workflows, the ledger of ingested files, for ${formatDays(retentionMs)} only: files of LogDate before ` +
    `${new Date(remembered).toISOString()} may have been ingested and forgotten, and would be written again. ` +
    `Start the range at ${new Date(remembered).toISOString()} or later, or raise the namespace's retention ` +
    '(`elfstream setup`; it protects files ingested from then on), or pass --reingest to accept that files ' +
    'ingested before may be written twice.'
  );
}
