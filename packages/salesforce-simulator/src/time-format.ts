/** Time constants and the date formats Salesforce uses on the wire. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Start of the UTC hour of `ms`. */
export function floorHour(ms: number): number {
  return Math.floor(ms / HOUR) * HOUR;
}

/** Start of the UTC day of `ms`. */
export function floorDay(ms: number): number {
  return Math.floor(ms / DAY) * DAY;
}

/** `2026-11-27T13:00:00.000+0000`: how REST JSON renders dateTime values. */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** `2026-11-27T13:00:00.000Z`. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The compact ELF `TIMESTAMP` form `yyyyMMddHHmmss.SSS`. `precision` 0 drops the fraction and 2 keeps two digits
 * (both seen in real files: `20220803011210`, `20211019050707.13`); the value is truncated, never rounded, so it
 * stays within the same second as `TIMESTAMP_DERIVED`.
 */
export function compactTimestamp(ms: number, precision: 0 | 2 | 3 = 3): string {
  // Sliced from the ISO form: much cheaper than getUTC* calls on the row-generation hot path.
  const iso = new Date(ms).toISOString();
  const base =
    iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
  return precision === 0 ? base : base + '.' + iso.slice(20, 20 + precision);
}

/**
 * Parses an ISO-8601 instant or a bare date (`2026-11-27`, taken as UTC midnight). Throws on anything else, so a
 * typo in a test fails loudly instead of producing `NaN`.
 */
export function parseInstant(s: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(s + 'T00:00:00Z') : Date.parse(s);
  if (!Number.isFinite(ms)) throw new Error(`not an ISO-8601 instant: ${JSON.stringify(s)}`);
  return ms;
}
