/**
 * SOQL text for every query elfstream sends, built from typed input with literal formatting and escaping in one
 * place (pure: no I/O, unit-tested).
 *
 * Datetime literals use the documented form `YYYY-MM-DDThh:mm:ssZ`, unquoted. Salesforce stores and compares
 * `CreatedDate`/`LogDate` at whole seconds (query results always print `.000`), so a bound carrying milliseconds
 * is rounded in the direction that keeps the comparison exact for whole-second values.
 */
import { SalesforceError } from './errors';
import { parseSalesforceDateTime } from './dates';
import type { LogInterval } from './types';

/** How a bound with sub-second precision becomes a whole-second literal. */
export type DateTimeRounding = 'floor' | 'ceil';

/** Which optional EventLogFile fields the org exposes at the configured API version (from describe). */
export interface EventLogFileFieldSupport {
  /** `Interval` (API 37.0+; per the v67 docs only visible to orgs with hourly files). */
  interval: boolean;
  /** `Sequence` (API 37.0+): 0 for daily files, 1, 2, … for hourly files. */
  sequence: boolean;
  /** `ApiVersion` (API 30.0+). */
  apiVersion: boolean;
}

/** A keyset position: the (CreatedDate, Id) of the last file already seen. */
export interface FileCursor {
  createdDate: string;
  id: string;
}

/** Input of {@link buildEventLogFileListQuery}. */
export interface EventLogFileListQuery {
  support: EventLogFileFieldSupport;
  interval: LogInterval;
  /** Event types to list, or `'*'` (or a list containing `'*'`) for all. */
  eventTypes: readonly string[] | '*';
  /** Inclusive lower bound of CreatedDate. */
  createdFrom?: string;
  /** Inclusive upper bound of CreatedDate (the caller applies the settle window here). */
  createdBefore?: string;
  /** Inclusive lower bound of LogDate. */
  logDateFrom?: string;
  /** Exclusive upper bound of LogDate. */
  logDateTo?: string;
  /** List only files strictly after this (CreatedDate, Id). */
  after?: FileCursor;
  /** SOQL LIMIT. */
  limit: number;
}

/** The query `login()` runs to prove the user can read EventLogFile at all. */
export const PERMISSION_PROBE_QUERY = 'SELECT Id FROM EventLogFile LIMIT 1';

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** Whether `value` looks like a 15- or 18-character Salesforce record id. */
export function isSalesforceId(value: string): boolean {
  return ID.test(value);
}

/**
 * A datetime as an unquoted SOQL literal, `2026-11-27T13:00:00Z`.
 *
 * @param rounding - what to do with milliseconds: `floor` for `<=` bounds, `ceil` for `>=` and `<` bounds.
 * @throws RangeError when the value is not a datetime.
 */
export function soqlDateTime(value: string, rounding: DateTimeRounding = 'floor'): string {
  const ms = parseSalesforceDateTime(value);
  const whole = rounding === 'floor' ? Math.floor(ms / 1000) * 1000 : Math.ceil(ms / 1000) * 1000;
  return new Date(whole).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A quoted SOQL string literal. SOQL escapes with a backslash (`O'Brien` → `'O\'Brien'`); line breaks and tabs
 * become `\n \r \t \b \f`; any other control character is refused rather than guessed at.
 *
 * @throws RangeError on a control character SOQL cannot express.
 */
export function soqlString(value: string): string {
  let out = "'";
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case "'":
        out += "\\'";
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\b':
        out += '\\b';
        break;
      case '\f':
        out += '\\f';
        break;
      default:
        if (isControlCharacter(ch)) {
          throw new RangeError(
            `Control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')} in a SOQL string`,
          );
        }
        out += ch;
    }
  }
  return `${out}'`;
}

/**
 * A record id as a quoted literal; ids compare as strings in SOQL (`Id > '0AT…'`).
 *
 * @throws SalesforceError (invalid-request) when the value is not a 15/18-character id.
 */
export function soqlId(id: string): string {
  if (!isSalesforceId(id)) {
    throw new SalesforceError({
      kind: 'invalid-request',
      message: `${JSON.stringify(id.slice(0, 40))} is not a Salesforce record id (15 or 18 letters and digits)`,
    });
  }
  return `'${id}'`;
}

/** `('a', 'b')` for an IN clause. @throws RangeError when the list is empty (SOQL has no empty IN list). */
export function soqlInList(values: readonly string[]): string {
  if (values.length === 0) throw new RangeError('An IN list needs at least one value');
  return `(${values.map(soqlString).join(', ')})`;
}

/**
 * The WHERE term that keeps one interval, or undefined when no filter is needed.
 *
 * `Interval = 'Hourly' | 'Daily'` when the field exists; otherwise `Sequence != 0` / `Sequence = 0` (daily files
 * always have Sequence 0, hourly ones 1, 2, …); with neither field (API < 37.0) every file is daily.
 *
 * @throws SalesforceError (config) when hourly files are asked for but the org/API version has neither field.
 */
export function intervalFilter(support: EventLogFileFieldSupport, interval: LogInterval): string | undefined {
  if (support.interval) return `Interval = ${soqlString(interval)}`;
  if (support.sequence) return interval === 'Hourly' ? 'Sequence != 0' : 'Sequence = 0';
  if (interval === 'Daily') return undefined;
  throw new SalesforceError({
    kind: 'config',
    message:
      'Hourly EventLogFiles need the Interval or Sequence field, which this org does not expose at the configured ' +
      'API version: set salesforce.apiVersion to 37.0 or later, or set the source interval to Daily',
  });
}

/** The fields listed for each file: metadata only (LogFileFieldNames/Types are fetched per file, see below). */
export function eventLogFileListFields(support: EventLogFileFieldSupport): string[] {
  const fields = ['Id', 'EventType', 'LogDate', 'CreatedDate', 'LogFileLength'];
  if (support.interval) fields.push('Interval');
  if (support.sequence) fields.push('Sequence');
  if (support.apiVersion) fields.push('ApiVersion');
  return fields;
}

/**
 * The listing query: EventLogFile metadata ordered by `CreatedDate ASC, Id ASC` with the keyset bound
 * `(CreatedDate > c OR (CreatedDate = c AND Id > 'id'))`, the interval filter, the event-type filter and the
 * CreatedDate / LogDate ranges.
 */
export function buildEventLogFileListQuery(q: EventLogFileListQuery): string {
  if (!Number.isInteger(q.limit) || q.limit < 1) throw new RangeError(`Invalid LIMIT ${q.limit}`);
  const where: string[] = [];
  const interval = intervalFilter(q.support, q.interval);
  if (interval) where.push(interval);
  const types = q.eventTypes === '*' || q.eventTypes.includes('*') ? undefined : [...new Set(q.eventTypes)];
  if (types) {
    if (types.length === 0) throw new RangeError('eventTypes is empty: list event types or use "*"');
    where.push(types.length === 1 ? `EventType = ${soqlString(types[0] ?? '')}` : `EventType IN ${soqlInList(types)}`);
  }
  if (q.createdFrom !== undefined) where.push(`CreatedDate >= ${soqlDateTime(q.createdFrom, 'ceil')}`);
  if (q.createdBefore !== undefined) where.push(`CreatedDate <= ${soqlDateTime(q.createdBefore, 'floor')}`);
  if (q.logDateFrom !== undefined) where.push(`LogDate >= ${soqlDateTime(q.logDateFrom, 'ceil')}`);
  if (q.logDateTo !== undefined) where.push(`LogDate < ${soqlDateTime(q.logDateTo, 'ceil')}`);
  if (q.after) where.push(keysetAfter(q.after));
  return (
    `SELECT ${eventLogFileListFields(q.support).join(', ')} FROM EventLogFile` +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY CreatedDate ASC, Id ASC LIMIT ${q.limit}`
  );
}

/**
 * The LogDate of the oldest (`ASC`) or newest (`DESC`) file of these event types and interval: which dates have
 * files at all, for a backfill that found none and for `verify`.
 */
export function buildLogDateBoundQuery(
  support: EventLogFileFieldSupport,
  eventTypes: readonly string[] | '*',
  interval: LogInterval | undefined,
  order: 'ASC' | 'DESC',
): string {
  const where: string[] = [];
  const byInterval = interval ? intervalFilter(support, interval) : undefined;
  if (byInterval) where.push(byInterval);
  if (eventTypes !== '*' && !eventTypes.includes('*'))
    where.push(`EventType IN ${soqlInList([...new Set(eventTypes)])}`);
  return (
    'SELECT LogDate FROM EventLogFile' +
    (where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '') +
    ` ORDER BY LogDate ${order} LIMIT 1`
  );
}

/** The per-file query for the CSV layout Salesforce declares (each value can be 1,333 characters). */
export function buildFieldLayoutQuery(fileId: string): string {
  return `SELECT Id, LogFileFieldNames, LogFileFieldTypes FROM EventLogFile WHERE Id = ${soqlId(fileId)}`;
}

/** Whether the org has published at least one hourly file (part of `login()`'s hourly detection). */
export function buildHourlyProbeQuery(support: EventLogFileFieldSupport): string {
  return `SELECT Id FROM EventLogFile WHERE ${intervalFilter(support, 'Hourly') ?? ''} LIMIT 1`;
}

/**
 * `(CreatedDate > c OR (CreatedDate = c AND Id > 'id'))`. A cursor with milliseconds (never produced by a
 * Salesforce record) cannot tie with a whole-second CreatedDate, so the tie branch is dropped for it.
 */
function keysetAfter(after: FileCursor): string {
  const ms = parseSalesforceDateTime(after.createdDate);
  const c = soqlDateTime(after.createdDate, 'floor');
  if (ms % 1000 !== 0) return `CreatedDate > ${c}`;
  return `(CreatedDate > ${c} OR (CreatedDate = ${c} AND Id > ${soqlId(after.id)}))`;
}

function isControlCharacter(ch: string): boolean {
  const code = ch.charCodeAt(0);
  return code < 0x20 || code === 0x7f;
}
