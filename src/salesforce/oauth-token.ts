/**
 * The OAuth 2.0 token request (`POST {loginUrl}/services/oauth2/token`, form-encoded) of the username-password,
 * client-credentials and JWT bearer flows, and its response:
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_endpoints.htm
 *
 * Made here rather than by jsforce so that a failure keeps its HTTP status and Retry-After (a 503 from the token
 * endpoint is transient; `invalid_grant` is not).
 */
import type http from 'node:http';
import { SalesforceError } from './errors';
import { headerValue, sendRequest } from './http-request';

/** What a successful token response gives. `accessToken` is a secret. */
export interface TokenGrant {
  accessToken: string;
  instanceUrl: string;
  orgId: string;
  userId: string;
  /** The identity service URL (`…/id/<orgId>/<userId>`). */
  identityUrl: string;
}

/**
 * A token request the endpoint refused. Shaped like jsforce's OAuth errors, which the error classification reads:
 * `name` is the OAuth `error` code (`ERROR_HTTP_<status>` when the body has none), `message` its description.
 */
export class OAuthTokenError extends Error {
  constructor(
    code: string,
    description: string,
    readonly status: number,
    readonly retryAfter: string | undefined,
  ) {
    super(description);
    this.name = code;
  }
}

export async function requestToken(
  loginUrl: string,
  params: Record<string, string>,
  options: { agent: http.Agent; timeoutMs: number },
): Promise<TokenGrant> {
  const url = new URL('/services/oauth2/token', loginUrl);
  const res = await sendRequest(url, {
    method: 'POST',
    agent: options.agent,
    timeoutMs: options.timeoutMs,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(params).toString(),
  });
  let body: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(res.body) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Record<string, unknown>;
  } catch {
    // An HTML page from an edge proxy: the status decides.
  }
  const text = (key: string): string | undefined => (typeof body?.[key] === 'string' ? body[key] : undefined);
  if (res.status >= 400 || body === undefined) {
    throw new OAuthTokenError(
      text('error') ?? `ERROR_HTTP_${res.status}`,
      text('error_description') ?? res.body,
      res.status,
      headerValue(res.headers, 'retry-after'),
    );
  }
  const accessToken = text('access_token');
  const instanceUrl = text('instance_url');
  const identityUrl = text('id');
  // The identity URL ends in /<orgId>/<userId>.
  const [orgId, userId] = identityUrl?.split('/').slice(-2) ?? [];
  if (!accessToken || !instanceUrl || !identityUrl || !orgId || !userId) {
    throw new SalesforceError({
      kind: 'transient',
      message:
        'The Salesforce token response had no access token, instance URL or identity URL (id): cannot tell the ' +
        'session, org and user; retrying.',
    });
  }
  return { accessToken, instanceUrl, orgId, userId, identityUrl };
}
