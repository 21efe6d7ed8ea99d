/**
 * Facts about the org and user that `login()` reports beyond what the login itself returns: the username of a
 * client-credentials Run As user, and the daily API usage when no response carried `Sforce-Limit-Info`.
 */
import type { ApiUsage } from './api-usage';
import type { CallContext, SalesforceSession, SessionIdentity } from './session';

/** How long the looked-up username is reused. */
const USERNAME_TTL_MS = 60 * 60 * 1000;

/**
 * The username behind a session whose flow did not name one (client credentials), from the identity service
 * (Bearer header, never the `oauth_token` query parameter jsforce's `identity()` uses); the user id when that fails.
 */
export async function lookupUsername(
  session: SalesforceSession,
  identity: SessionIdentity,
  call: CallContext,
): Promise<string> {
  const url = identity.identityUrl;
  if (!url) return identity.userId;
  return session.memo('identity:username', USERNAME_TTL_MS, async () => {
    try {
      const info = await session.get<{ username?: unknown }>(`${url}?format=json`, { ...call, operation: 'identity' });
      return typeof info.username === 'string' && info.username ? info.username : identity.userId;
    } catch (err) {
      call.logger?.debug('Could not read the username from the identity service', {
        sourceId: call.sourceId,
        error: (err as Error).message,
      });
      return identity.userId;
    }
  });
}

/**
 * `DailyApiRequests` from the `/limits` resource (it needs 'View Setup and Configuration'; missing access is not an
 * error, the usage then stays unknown until a response carries `Sforce-Limit-Info`).
 */
export async function readDailyApiUsage(session: SalesforceSession, call: CallContext): Promise<ApiUsage | undefined> {
  try {
    const limits = await session.get<{ DailyApiRequests?: { Max?: unknown; Remaining?: unknown } }>(
      `/services/data/v${session.apiVersion}/limits`,
      { ...call, operation: 'limits' },
    );
    const daily = limits.DailyApiRequests;
    if (typeof daily?.Max !== 'number' || typeof daily.Remaining !== 'number') return session.usage.current();
    const usage = { used: daily.Max - daily.Remaining, limit: daily.Max };
    session.usage.set(usage);
    return usage;
  } catch {
    return session.usage.current();
  }
}
