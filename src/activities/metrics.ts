/**
 * elfstream's own metrics, recorded through the activity's metric meter so they are served on the worker's
 * Prometheus endpoint beside Temporal's (see src/temporal/runtime.ts).
 */
import { Context } from '@temporalio/activity';

export function recordFileIngested(
  sourceId: string,
  file: { eventType: string; createdDate: string },
  result: { rows: number; bytesRead: number; malformedRows: number },
): void {
  const meter = Context.current().metricMeter;
  const tags = { source_id: sourceId, event_type: file.eventType };
  meter.createCounter('elfstream_events', 'events', 'Events written to the output').add(result.rows, tags);
  meter.createCounter('elfstream_files', 'files', 'EventLogFiles ingested completely').add(1, tags);
  meter.createCounter('elfstream_bytes', 'bytes', 'CSV bytes downloaded from Salesforce').add(result.bytesRead, tags);
  meter
    .createCounter('elfstream_malformed_rows', 'rows', 'Malformed CSV rows (kept with p_parse_error)')
    .add(result.malformedRows, tags);
  const lagSeconds = Math.max(0, (Date.now() - Date.parse(file.createdDate)) / 1000);
  meter
    .createHistogram(
      'elfstream_ingest_lag',
      'float',
      's',
      "Seconds from a file's CreatedDate to the end of its ingestion",
    )
    .record(lagSeconds, tags);
}

export function recordApiUsage(sourceId: string, usage: { used: number; limit: number } | undefined): void {
  if (!usage) return;
  const meter = Context.current().metricMeter;
  const tags = { source_id: sourceId };
  meter
    .createGauge('elfstream_salesforce_api_used', 'int', 'requests', 'Salesforce API requests used in the last 24 h')
    .set(usage.used, tags);
  meter
    .createGauge('elfstream_salesforce_api_limit', 'int', 'requests', 'Salesforce daily API request allowance')
    .set(usage.limit, tags);
}
