/**
 * How a column's declared type (from `LogFileFieldTypes` or a built-in schema) shapes its JSON value.
 * The literal spellings in `LogFileFieldTypes` are not documented publicly, so matching is case-insensitive and
 * tolerant of synonyms; anything unrecognised stays a string, which never loses data.
 */

/** JSON shape of a column: 0 string, 1 number, 2 boolean, 3 ISO-8601 date-time. Numeric for a cheap per-row switch. */
export type ColumnKind = 0 | 1 | 2 | 3;
export const KIND_STRING: ColumnKind = 0;
export const KIND_NUMBER: ColumnKind = 1;
export const KIND_BOOLEAN: ColumnKind = 2;
export const KIND_DATETIME: ColumnKind = 3;

const NUMBER_TYPES = new Set(['number', 'double', 'int', 'integer', 'long', 'decimal', 'currency', 'percent']);
const DATETIME_TYPES = new Set(['datetime', 'date-time', 'date_time', 'timestamp']);

/** Maps a declared type to its JSON shape; `Id`, `IP`, `String`, `Date` and unknown types are strings. */
export function kindOfFieldType(type: string | undefined): ColumnKind {
  if (type === undefined) return KIND_STRING;
  const t = type.trim().toLowerCase();
  if (NUMBER_TYPES.has(t)) return KIND_NUMBER;
  if (t === 'boolean' || t === 'bool') return KIND_BOOLEAN;
  if (DATETIME_TYPES.has(t)) return KIND_DATETIME;
  return KIND_STRING;
}

/** Whether a declared type marks an IP address column (it then feeds `p_any_ip_addresses`). */
export function isIpFieldType(type: string | undefined): boolean {
  return type !== undefined && type.trim().toLowerCase() === 'ip';
}

/**
 * Splits a `LogFileFieldNames` / `LogFileFieldTypes` value (comma-separated, ordered) into trimmed items.
 * Returns undefined for an absent or blank value, so callers can tell "not provided" from "empty".
 */
export function splitFieldList(value: string | undefined | null): string[] | undefined {
  if (value == null || value.trim() === '') return undefined;
  return value.split(',').map((s) => s.trim());
}
