/**
 * Tracking of the org's daily API allowance from the `Sforce-Limit-Info: api-usage=USED/LIMIT` header that
 * Salesforce sends on every REST response (computed asynchronously, so it lags a little), and the reserve check
 * that keeps elfstream from using the last share of it.
 */
import { DEFAULT_RATE_LIMIT_RETRY_MS, SalesforceError } from './errors';

/** Requests used and allowed in the org's rolling 24-hour window. */
export interface ApiUsage {
  used: number;
  limit: number;
}

/** `api-usage=10018/100000` (possibly among other comma-separated items) → `{ used, limit }`. */
export function parseLimitInfo(header: string | readonly string[] | undefined | null): ApiUsage | undefined {
  if (header == null) return undefined;
  const text = typeof header === 'string' ? header : header.join(',');
  // Not `per-app-api-usage=…`, which Salesforce may send alongside for connected-app quotas.
  const m = /(?:^|[\s,;])api-usage=(\d+)\/(\d+)/i.exec(text);
  if (!m) return undefined;
  return { used: Number(m[1]), limit: Number(m[2]) };
}

/** The last API usage seen for one org (shared by every client of the session). */
export class ApiUsageTracker {
  private latest?: ApiUsage & { at: number };

  /** Records a `Sforce-Limit-Info` header value (ignored when absent or unparsable). */
  observe(header: string | readonly string[] | undefined | null, at = Date.now()): void {
    const usage = parseLimitInfo(header);
    if (usage) this.set(usage, at);
  }

  /** Records usage read elsewhere (the `/limits` resource). */
  set(usage: ApiUsage, at = Date.now()): void {
    this.latest = { used: usage.used, limit: usage.limit, at };
  }

  /** The latest usage seen, or undefined before the first response carrying it. */
  current(): ApiUsage | undefined {
    return this.latest ? { used: this.latest.used, limit: this.latest.limit } : undefined;
  }

  /**
   * Throws when the org has used more than `(1 - reserve)` of its allowance, so the rest stays available to the
   * org's other integrations. Does nothing while usage is unknown.
   *
   * @param reserve - share of the allowance to leave untouched, 0..1 (`apiReserve`, default 0.1).
   * @throws SalesforceError (rate-limited) with `retryAfterMs` (the allowance is a rolling 24 h window, so
   *   usage falls gradually; elfstream checks again after an hour).
   */
  assertBudget(reserve: number, context: { sourceId?: string } = {}): void {
    if (!(reserve >= 0 && reserve <= 1)) throw new RangeError(`apiReserve must be within 0..1, got ${reserve}`);
    const usage = this.current();
    if (!usage || usage.limit <= 0) return;
    const ceiling = (1 - reserve) * usage.limit;
    if (usage.used <= ceiling) return;
    throw new SalesforceError({
      kind: 'rate-limited',
      retryAfterMs: DEFAULT_RATE_LIMIT_RETRY_MS,
      sourceId: context.sourceId,
      message:
        `The org has used ${usage.used} of its ${usage.limit} daily API requests, more than the ` +
        `${Math.round((1 - reserve) * 100)}% elfstream may use (apiReserve ${reserve}): elfstream waits 1 h for the ` +
        "rolling 24-hour window to free requests; lower apiReserve, or reduce other integrations' usage.",
    });
  }
}
