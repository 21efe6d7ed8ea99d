/**
 * Parsers for the formatted string values of the configuration (URLs, addresses, versions, ids, start points). Each
 * returns the normalized value or a complete message; none is used for secret values.
 */
import { parseDuration } from './durations';

/** A parsed value, or the message explaining why it is not acceptable. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (message: string): Parsed<never> => ({ ok: false, message });

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

function parseUrl(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A Salesforce login URL: `https://` plus a host (login.salesforce.com, test.salesforce.com, a My Domain), or
 * `http://` to a simulator on this machine. Normalized to scheme and host, without a trailing slash.
 */
export function parseLoginUrl(text: string): Parsed<string> {
  const example = 'e.g. https://login.salesforce.com or https://acme.my.salesforce.com';
  const url = parseUrl(text);
  if (!url) return fail(`${JSON.stringify(text)} is not an http(s) URL (${example})`);
  if (url.username !== '' || url.password !== '') return fail(`must not contain a user name or password (${example})`);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname) && !url.hostname.startsWith('127.')) {
    return fail(`${JSON.stringify(text)} must use https (plain http is only for a simulator on this machine)`);
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    return fail(`${JSON.stringify(text)} must be a scheme and host only, without a path (${example})`);
  }
  return ok(`${url.protocol}//${url.host}`);
}

/** The host name of a normalized login URL (lower case). */
export function loginHost(loginUrl: string): string {
  return parseUrl(loginUrl)?.hostname ?? '';
}

/** The URL of an HTTP output: any http(s) URL without embedded credentials. Kept as written. */
export function parseHttpUrl(text: string): Parsed<string> {
  const url = parseUrl(text);
  if (!url)
    return fail(
      `${JSON.stringify(text)} is not an http(s) URL (e.g. https://splunk.example.com:8088/services/collector/event)`,
    );
  if (url.username !== '' || url.password !== '') {
    return fail('must not contain a user name or password; use authorization or authorizationFile');
  }
  return ok(text);
}

/** A permission mode in octal, `"0600"` or `"600"`: the owner must be able to read and write (the sink rewrites). */
export function parseFileMode(text: string): Parsed<number> {
  if (!/^0?[0-7]{3}$/.test(text.trim())) return fail(`${JSON.stringify(text)} is not an octal mode such as "0600"`);
  const mode = parseInt(text.trim(), 8);
  if ((mode & 0o600) !== 0o600)
    return fail(`${JSON.stringify(text)} must let the owner read and write (0600 at least)`);
  return ok(mode);
}

/** A Temporal frontend address `host:port` (IPv6 hosts in brackets). */
export function parseHostPort(text: string): Parsed<string> {
  const example = 'e.g. 127.0.0.1:7233 or acme.a1b2c.tmprl.cloud:7233';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return fail(`${JSON.stringify(text)} must be host:port without a scheme (${example})`);
  }
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) return fail(`${JSON.stringify(text)} is not host:port (${example})`);
  return ok(text);
}

/** Salesforce API version: "62.0"; a YAML number 62 or 62.0 and the string "62" are normalized to "62.0". */
export function parseApiVersion(input: string | number): Parsed<string> {
  const text = typeof input === 'number' ? String(input) : input;
  // `auto`: the highest version both the org and elfstream support, chosen at login.
  if (text === 'auto') return ok('auto');
  const match = /^(\d{2,3})(?:\.0)?$/.exec(text);
  if (!match) {
    const hint = /^v/i.test(text) ? ' (write it without the "v")' : '';
    return fail(`${JSON.stringify(text)} is not a Salesforce API version like "68.0" (or "auto")${hint}`);
  }
  const major = Number(match[1]);
  // EventLogFile exists from 32.0, but only 37.0 and later tell hourly from daily files (Interval, Sequence).
  if (major < 37) {
    return fail(
      `"${major}.0" is too old: elfstream needs API version 37.0 or later (EventLogFile's Interval and Sequence)`,
    );
  }
  return ok(`${major}.0`);
}

/** The major number of a normalized API version ("62.0" -> 62). */
export function apiMajor(version: string): number {
  return Number.parseInt(version, 10);
}

/** A source id: 1-40 characters of a-z, 0-9 and "-". */
export function parseSourceId(text: string): Parsed<string> {
  if (/^[a-z0-9-]{1,40}$/.test(text)) return ok(text);
  return fail(`${JSON.stringify(text)} must be 1-40 characters of a-z, 0-9 and "-" (it becomes part of workflow ids)`);
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Where a source starts on its first run: an ISO-8601 instant with a time zone (`2026-11-01T00:00:00Z`) or a
 * negative duration (`-24h`, `-P7D`), kept as written.
 */
export function parseStartFrom(text: string): Parsed<string> {
  const expected =
    'an ISO-8601 instant with a time zone (e.g. 2026-11-01T00:00:00Z) or a negative duration (e.g. -24h)';
  const duration = parseDuration(text);
  if (duration !== undefined) {
    return duration < 0
      ? ok(text)
      : fail(`${JSON.stringify(text)} must be negative (time before the first run), e.g. -${text}`);
  }
  if (INSTANT.test(text) && !Number.isNaN(Date.parse(text))) return ok(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text))) {
    return fail(`${JSON.stringify(text)} needs a time and time zone, e.g. ${text.slice(0, 10)}T00:00:00Z`);
  }
  return fail(`${JSON.stringify(text)} is not ${expected}`);
}
