/**
 * A real-time record (a storage event or a Setup Audit Trail entry, as the REST query API returns it) -> one
 * normalized event line, with the same `p_*` fields as EventLogFile rows so both channels land in the same tables:
 *
 * 1. the record's fields in the object's field order, nulls omitted; datetimes as ISO-8601 `…Z` with milliseconds,
 *    numbers and booleans as JSON, everything else as strings;
 * 2. `p_log_type` (`Salesforce.<Object>`), `p_event_time` (EventDate, or CreatedDate for the audit trail),
 *    `p_parse_time`, `p_row_id`, `p_source_id`, `p_source_label`;
 * 3. `p_any_ip_addresses`, `p_any_trace_ids`, `p_any_usernames` when not empty;
 * 4. `p_source_object`: `{ "name", "channel": "realtime" }`.
 *
 * `p_row_id` is {@link RowIdGenerator}'s id of the one value EventIdentifier (Id for the audit trail): re-reading a
 * record in a later overlap window, or after a crash, gives the same id.
 */
import net from 'node:net';
import { jsonString } from '../events/json-text';
import { RowIdGenerator } from '../events/row-id';
import { normalizeDateTime } from '../events/timestamps';
import { logTypeOf, timeFieldOf, type RealtimeObject } from './objects';

/** A record as REST returns it: field name -> value (plus `attributes`). */
export type RealtimeRecord = Record<string, unknown>;

export interface RealtimeNormalizeContext {
  sourceId: string;
  sourceLabel: string;
  orgId: string;
  /** ISO-8601, fixed per read so a retried read writes identical bytes. */
  parseTime: string;
}

/** The key a record is identified by: EventIdentifier for storage events, Id for the audit trail. */
export function recordKey(object: RealtimeObject, record: RealtimeRecord): string {
  const v = record[object.kind === 'storage-event' ? 'EventIdentifier' : 'Id'];
  return typeof v === 'string' ? v : '';
}

/** The record's time field as ISO-8601, or undefined when missing or not a datetime. */
export function recordTime(object: RealtimeObject, record: RealtimeRecord): string | undefined {
  const v = record[timeFieldOf(object)];
  return typeof v === 'string' ? normalizeDateTime(v) : undefined;
}

/** Builds the normalizer of one object's records for one read. */
export function createRecordNormalizer(
  object: RealtimeObject,
  ctx: RealtimeNormalizeContext,
): (record: RealtimeRecord) => string {
  const logType = `"p_log_type":${jsonString(logTypeOf(object.name))}`;
  const parseTime = `,"p_parse_time":${jsonString(ctx.parseTime)}`;
  const source = `,"p_source_id":${jsonString(ctx.sourceId)},"p_source_label":${jsonString(ctx.sourceLabel)}`;
  const ips = new Set(object.ipFields);
  const users = new Set(object.userFields);
  const traces = new Set(object.traceFields);
  return (record) => {
    const parts: string[] = [];
    const anyIp: string[] = [];
    const anyUser: string[] = [];
    const anyTrace: string[] = [];
    for (const name of object.fields) {
      const v = record[name];
      if (v === null || v === undefined || v === '') continue;
      parts.push(`${jsonString(name)}:${encodeValue(v)}`);
      if (typeof v !== 'string') continue;
      if (ips.has(name) && net.isIP(v) !== 0 && !anyIp.includes(v)) anyIp.push(v);
      if (users.has(name) && !anyUser.includes(v)) anyUser.push(v);
      if (traces.has(name) && !anyTrace.includes(v)) anyTrace.push(v);
    }
    const rowId = new RowIdGenerator(ctx.orgId, object.name, 1).forValues([recordKey(object, record)]);
    let line = `{${parts.join(',')}${parts.length > 0 ? ',' : ''}${logType}`;
    line += `,"p_event_time":${jsonString(recordTime(object, record) ?? ctx.parseTime)}${parseTime}`;
    line += `,"p_row_id":"${rowId}"${source}`;
    if (anyIp.length > 0) line += `,"p_any_ip_addresses":${jsonArray(anyIp)}`;
    if (anyTrace.length > 0) line += `,"p_any_trace_ids":${jsonArray(anyTrace)}`;
    if (anyUser.length > 0) line += `,"p_any_usernames":${jsonArray(anyUser)}`;
    return `${line},"p_source_object":{"name":${jsonString(object.name)},"channel":"realtime"}}`;
  };
}

function encodeValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'string') return jsonString(normalizeDateTime(v) ?? v);
  return jsonString(JSON.stringify(v));
}

function jsonArray(items: readonly string[]): string {
  return `[${items.map(jsonString).join(',')}]`;
}
