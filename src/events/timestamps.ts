/**
 * Salesforce timestamps -> ISO-8601 UTC with milliseconds (`2026-11-27T13:00:00.000Z`), the one form every event
 * carries, so destinations sort and compare them as text.
 */

const ISO_MILLIS_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const COMPACT = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d+))?$/;
const ISO_PREFIX = /^\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?/;
const HAS_ZONE = /(?:Z|[+-]\d\d:?\d\d)$/i;
const COMPACT_OFFSET = /([+-]\d\d)(\d\d)$/;

/**
 * Parses the compact ELF `TIMESTAMP` (GMT, `yyyyMMddHHmmss[.f]`). Tolerates a missing or short fraction (`.13` is
 * 130 ms) and truncates digits past milliseconds. Returns undefined for anything else, including impossible dates.
 */
export function compactTimestampToIso(value: string): string | undefined {
  const m = COMPACT.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, f] = m as unknown as [string, string, string, string, string, string, string, string?];
  const ms = f === undefined ? '000' : (f + '00').slice(0, 3);
  // Reject 20260230... or hour 25: a Date round trip is the cheapest complete calendar check.
  const t = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  if (t.getUTCFullYear() !== +y || t.getUTCMonth() !== +mo - 1 || t.getUTCDate() !== +d || t.getUTCHours() !== +h) {
    return undefined;
  }
  if (+mi > 59 || +s > 59) return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`;
}

/**
 * Normalizes a date-time column value (TIMESTAMP_DERIVED, `DateTime` columns) to ISO-8601 UTC with milliseconds.
 * Accepts the canonical form as is (the per-row fast path), the compact TIMESTAMP form, ISO with other fraction
 * lengths, no seconds, or an offset (`+0000` as Salesforce writes it, or `+00:00`); a value without a zone is UTC.
 * Returns undefined when the value is not a date-time.
 */
export function normalizeDateTime(value: string): string | undefined {
  if (value.length === 24 && ISO_MILLIS_Z.test(value)) return value;
  const compact = compactTimestampToIso(value);
  if (compact !== undefined) return compact;
  // Date.parse accepts many non-ISO strings ("Tue 1"); only hand it values that start like an ISO date.
  if (!ISO_PREFIX.test(value)) return undefined;
  let text = value.replace(' ', 'T');
  if (HAS_ZONE.test(text)) text = text.replace(COMPACT_OFFSET, '$1:$2');
  else text += 'Z';
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
