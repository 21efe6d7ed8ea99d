/** Workflow ids are business keys: starting the same source or file twice collides instead of duplicating work. */

export function sourceWorkflowId(sourceId: string): string {
  return `elfstream-source-${sourceId}`;
}

/** The real-time channel of a source (storage events, Setup Audit Trail), beside its source workflow. */
export function realtimeWorkflowId(sourceId: string): string {
  return `elfstream-realtime-${sourceId}`;
}

/**
 * The per-file ledger entry: one id per source and EventLogFile, whichever workflow (live or backfill) starts it.
 * Per source, so a second source reading the same org (another SIEM, a new output) gets every file too.
 */
export function fileWorkflowId(sourceId: string, orgId: string, fileId: string): string {
  return `elfstream-file-${sourceId}-${orgId}-${fileId}`;
}

/** The ledger entry of a file before ledgers were per source: one per org and file (see `FILE_LEDGER_PER_SOURCE`). */
export function legacyFileWorkflowId(orgId: string, fileId: string): string {
  return `elfstream-file-${orgId}-${fileId}`;
}

/** One backfill workflow per source and requested range (and event types), so a repeated signal is a no-op. */
export function backfillWorkflowId(sourceId: string, from: string, to: string, eventTypes?: readonly string[]): string {
  const types = eventTypes && eventTypes.length > 0 ? `-${[...eventTypes].sort().join('+')}` : '';
  return `elfstream-backfill-${sourceId}-${compactInstant(from)}-${compactInstant(to)}${types}`;
}

function compactInstant(iso: string): string {
  return iso.replace(/[-:]/g, '').replace(/\.000Z$/, 'Z');
}
