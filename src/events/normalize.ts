import net from 'node:net';
import { ROLE_IP, ROLE_TRACE, ROLE_USER, planColumns, type HeaderMismatch } from './column-plan';
import { KIND_BOOLEAN, KIND_DATETIME, KIND_NUMBER } from './column-types';
import { EVENT_TIME_COLUMN, TIMESTAMP_COLUMN } from './event-schemas';
import { jsonNumber, jsonString } from './json-text';
import type { MalformedRecord } from './malformed-record';
import { RowIdGenerator } from './row-id';
import { compactTimestampToIso, normalizeDateTime } from './timestamps';

export type { HeaderMismatch } from './column-plan';

/**
 * CSV row -> normalized event, as one line of JSON.
 *
 * Event shape, with this fixed key order:
 * 1. the CSV columns in header order, under their own names, empty values omitted; typed by `LogFileFieldTypes`
 *    (else the built-in schema): Number -> JSON number (digits kept exactly), Boolean (`1`/`0`/`true`/`false`) ->
 *    boolean, DateTime and TIMESTAMP_DERIVED -> ISO-8601 `…Z` with milliseconds, everything else (Id, IP, String,
 *    unknown) -> string. A value that does not fit its type stays a string, so nothing is lost;
 * 2. `p_log_type` (`Salesforce.<EventType>`), `p_event_time` (TIMESTAMP_DERIVED, else TIMESTAMP, else LogDate),
 *    `p_parse_time`, `p_row_id` (see {@link RowIdGenerator}), `p_source_id`, `p_source_label`;
 * 3. `p_any_ip_addresses`, `p_any_trace_ids`, `p_any_usernames`: distinct values in column order, each key omitted
 *    when empty; `Salesforce.com IP` and other non-addresses are not IP addresses;
 * 4. `p_source_file`: `{ "id", "event_type", "log_date", "interval", "sequence", "row" }`, the EventLogFile the row
 *    came from and its 1-based data row number (the header is not a row).
 * A malformed record becomes `p_log_type, p_event_time (LogDate), p_parse_time, p_row_id, p_source_id,
 * p_source_label, p_parse_error, p_raw [, p_raw_truncated] [, p_raw_base64], p_source_file`.
 */

/** Everything about the file a normalized event records besides the row itself. */
export interface NormalizeContext {
  sourceId: string;
  sourceLabel: string;
  orgId: string;
  fileId: string;
  eventType: string;
  /** ISO-8601 UTC. */
  logDate: string;
  interval: 'Hourly' | 'Daily';
  sequence: number;
  /** ISO-8601; supplied by the caller so that re-ingesting a file produces identical bytes. */
  parseTime: string;
}

export interface NormalizeOptions {
  /** The file's `LogFileFieldNames` (comma-separated), if known. */
  fieldNames?: string;
  /** The file's `LogFileFieldTypes`, parallel to `fieldNames`, if known. */
  fieldTypes?: string;
  /** Rows remembered for counting identical rows (see {@link RowIdGenerator}). */
  occurrenceWindow?: number;
}

/**
 * Normalizes the rows of one file, in file order: call it with each valid row's values (header order) and 1-based
 * data row number. Rows must be passed in order, including those not written (see {@link RowNormalizer.skip}),
 * because row ids count identical rows.
 */
export interface RowNormalizer {
  /** `joined`, if given, must be `values.join('\0')` (saves joining again when the caller has it). */
  (values: readonly string[], rowNumber: number, joined?: string): string;
  /** The event line for a malformed record. */
  malformed(record: MalformedRecord, rowNumber: number): string;
  /**
   * Advances past a valid row without producing its line (rows of already committed chunks, on resume). Takes
   * the values, or the values already joined with `\0`.
   */
  skip(values: readonly string[] | string): void;
  /** Advances past a malformed record without producing its line. */
  skipMalformed(record: MalformedRecord): void;
  /** Columns neither in `LogFileFieldNames` nor in the built-in schema; kept as strings. Reported once per file. */
  readonly unknownColumns: readonly string[];
  readonly headerMismatch: HeaderMismatch | undefined;
  /** Header problems worth one log line per file (mismatch, renamed duplicate or empty column names). */
  readonly warnings: readonly string[];
}

/** Builds the normalizer of one file from its header (the authority on column order) and its metadata. */
export function createRowNormalizer(
  ctx: NormalizeContext,
  header: readonly string[],
  options: NormalizeOptions = {},
): RowNormalizer {
  const plan = planColumns(ctx.eventType, header, options);
  const n = header.length;
  const { keyFirst, keyNext, kinds, roles } = plan;
  const derivedIdx = header.indexOf(EVENT_TIME_COLUMN);
  const timestampIdx = header.indexOf(TIMESTAMP_COLUMN);
  const ids = new RowIdGenerator(ctx.orgId, ctx.eventType, options.occurrenceWindow);
  // Spliced into lines between quotes: a LogDate that is not a date is escaped rather than trusted.
  const logDate = normalizeDateTime(ctx.logDate) ?? jsonString(ctx.logDate).slice(1, -1);

  // Constant parts of every line, encoded once per file.
  const pHead = `"p_log_type":${jsonString('Salesforce.' + ctx.eventType)},"p_event_time":"`;
  const pParseTime = `","p_parse_time":${jsonString(ctx.parseTime)},"p_row_id":"`;
  const pSource = `","p_source_id":${jsonString(ctx.sourceId)},"p_source_label":${jsonString(ctx.sourceLabel)}`;
  const pFile =
    `,"p_source_file":{"id":${jsonString(ctx.fileId)},"event_type":${jsonString(ctx.eventType)},` +
    `"log_date":"${logDate}","interval":${jsonString(ctx.interval)},"sequence":${JSON.stringify(ctx.sequence)},"row":`;

  const normalize = (values: readonly string[], rowNumber: number, joined?: string): string => {
    let out = '{';
    let first = true;
    let eventTime: string | undefined;
    let ips: string[] | undefined;
    let traces: string[] | undefined;
    let users: string[] | undefined;
    for (let i = 0; i < n; i++) {
      const v = values[i] as string;
      if (v.length === 0) continue;
      let enc: string;
      switch (kinds[i]) {
        case KIND_NUMBER:
          enc = jsonNumber(v) ?? jsonString(v);
          break;
        case KIND_BOOLEAN:
          enc = booleanLiteral(v) ?? jsonString(v);
          break;
        case KIND_DATETIME: {
          const iso = normalizeDateTime(v);
          if (iso === undefined) enc = jsonString(v);
          else {
            enc = '"' + iso + '"';
            if (i === derivedIdx) eventTime = iso;
          }
          break;
        }
        default:
          enc = jsonString(v);
      }
      out += (first ? keyFirst[i] : keyNext[i]) + enc;
      first = false;
      const role = roles[i] as number;
      if (role !== 0) {
        if (role & ROLE_IP) ips = addIps(ips, v);
        if (role & ROLE_TRACE) traces = addDistinct(traces, v);
        if (role & ROLE_USER) users = addDistinct(users, v);
      }
    }
    if (eventTime === undefined) {
      const ts = timestampIdx >= 0 ? (values[timestampIdx] as string) : '';
      eventTime = (ts !== '' ? compactTimestampToIso(ts) : undefined) ?? logDate;
    }
    const id = joined === undefined ? ids.forValues(values) : ids.forJoined(joined);
    out += (first ? '' : ',') + pHead + eventTime + pParseTime + id + pSource;
    if (ips !== undefined) out += ',"p_any_ip_addresses":' + jsonArray(ips);
    if (traces !== undefined) out += ',"p_any_trace_ids":' + jsonArray(traces);
    if (users !== undefined) out += ',"p_any_usernames":' + jsonArray(users);
    return out + pFile + rowNumber + '}}';
  };

  const malformed = (record: MalformedRecord, rowNumber: number): string => {
    let out = '{' + pHead + logDate + pParseTime + ids.forRaw(record.raw) + pSource;
    out += ',"p_parse_error":' + jsonString(record.error) + ',"p_raw":' + jsonString(record.raw);
    if (record.rawTruncated) out += ',"p_raw_truncated":true';
    if (record.rawBase64 !== undefined) out += ',"p_raw_base64":"' + record.rawBase64 + '"';
    return out + pFile + rowNumber + '}}';
  };

  return Object.assign(normalize, {
    malformed,
    skip: (values: readonly string[] | string): void =>
      void (typeof values === 'string' ? ids.forJoined(values) : ids.forValues(values)),
    skipMalformed: (record: MalformedRecord): void => void ids.forRaw(record.raw),
    unknownColumns: plan.unknownColumns,
    headerMismatch: plan.headerMismatch,
    warnings: plan.warnings,
  });
}

function booleanLiteral(v: string): string | undefined {
  if (v === '1' || v === 'true' || v === 'TRUE' || v === 'True') return 'true';
  if (v === '0' || v === 'false' || v === 'FALSE' || v === 'False') return 'false';
  return undefined;
}

function addDistinct(list: string[] | undefined, v: string): string[] {
  if (list === undefined) return [v];
  if (!list.includes(v)) list.push(v);
  return list;
}

/** Adds the real IP addresses in `v` (one, or an X-Forwarded-For list). */
function addIps(list: string[] | undefined, v: string): string[] | undefined {
  let out = list;
  if (v.indexOf(',') < 0) return net.isIP(v) !== 0 ? addDistinct(out, v) : out;
  for (const part of v.split(',')) {
    const ip = part.trim();
    if (net.isIP(ip) !== 0) out = addDistinct(out, ip);
  }
  return out;
}

function jsonArray(items: readonly string[]): string {
  let s = '[';
  for (let i = 0; i < items.length; i++) s += (i === 0 ? '' : ',') + jsonString(items[i] as string);
  return s + ']';
}
