/** Helpers of the http sink: failure classification, Retry-After, and keeping secrets out of messages. */

/** 408, 429 and 5xx may succeed later; other statuses will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` as delay-seconds or an HTTP date, capped; undefined when absent or unparsable. */
export function retryAfterMs(value: string | null, capMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(0, ms), capMs);
}

/** The URL without credentials or query string (either may hold a token), for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** Replaces every occurrence of the secret values (and of their token part) with [REDACTED]. */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  const needles = new Set<string>();
  for (const s of secrets) {
    if (s === undefined) continue;
    for (const v of [s, s.slice(s.indexOf(' ') + 1)]) if (v.length >= 6) needles.add(v);
  }
  const sorted = [...needles].sort((a, b) => b.length - a.length);
  return (text) => sorted.reduce((t, n) => t.split(n).join('[REDACTED]'), text);
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
