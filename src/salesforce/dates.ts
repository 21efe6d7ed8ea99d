/**
 * Conversions between the datetime forms Salesforce uses and the ISO-8601 form elfstream uses everywhere else.
 *
 * - Query results print datetimes as `2026-11-27T13:00:00.000+0000` (offset without a colon).
 * - elfstream's contract form is ISO-8601 UTC with milliseconds: `2026-11-27T13:00:00.000Z`.
 * - SOQL literals (see `soql.ts`) take `2026-11-27T13:00:00Z`; the `+0000` form is not a documented literal.
 */

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Parses any datetime Salesforce or elfstream produces — `2026-11-27T13:00:00.000+0000`, `…Z`, `…+01:00`, or a
 * bare date `2026-11-27` (midnight UTC) — into epoch milliseconds.
 *
 * @throws RangeError when the value is not such a datetime, or names an impossible date.
 */
export function parseSalesforceDateTime(value: string): number {
  const m = DATETIME.exec(value.trim());
  if (!m) throw new RangeError(`Not a Salesforce or ISO-8601 datetime: ${JSON.stringify(value)}`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = m;
  if (m[4] !== undefined && zone === undefined) {
    // A time without a zone is ambiguous (Salesforce itself never sends one): refuse rather than guess.
    throw new RangeError(`Datetime without a time zone: ${JSON.stringify(value)}`);
  }
  const ms = Number((frac + '000').slice(0, 3));
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw new RangeError(`Impossible datetime: ${JSON.stringify(value)}`);
  }
  return utc - offsetMs(zone ?? 'Z');
}

/**
 * Salesforce datetime (`2026-11-27T13:00:00.000+0000`, or any form {@link parseSalesforceDateTime} accepts) →
 * ISO-8601 UTC with milliseconds (`2026-11-27T13:00:00.000Z`).
 */
export function fromSalesforceDateTime(value: string): string {
  return new Date(parseSalesforceDateTime(value)).toISOString();
}

/** ISO-8601 (or any accepted form) → the form Salesforce prints in query results: `2026-11-27T13:00:00.000+0000`. */
export function toSalesforceDateTime(value: string): string {
  return new Date(parseSalesforceDateTime(value)).toISOString().replace(/Z$/, '+0000');
}

/** `+0000`, `+00:00`, `-08`, `Z` → offset east of UTC in milliseconds. */
function offsetMs(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) throw new RangeError(`Impossible time zone offset: ${zone}`);
  return sign * (hours * 60 + minutes) * 60_000;
}
