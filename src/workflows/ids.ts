/** Workflow ids are business keys: starting the same source or file twice collides instead of duplicating work. */

export function sourceWorkflowId(sourceId: string): string {
  return `elfstream-source-${sourceId}`;
}

/** The real-time channel of a source (storage events, Setup Audit Trail), beside its source workflow. */
export function realtimeWorkflowId(sourceId: string): string {
  return `elfstream-realtime-${sourceId}`;
}

/** The per-file ledger entry: one id per EventLogFile of an org, whichever workflow (live or backfill) starts it. */
export function fileWorkflowId(orgId: string, fileId: string): string {
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
