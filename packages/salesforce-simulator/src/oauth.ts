/**
 * The OAuth 2.0 token endpoint `POST /services/oauth2/token` (password, client credentials and JWT bearer grants)
 * and `POST /services/oauth2/revoke`. Errors use Salesforce's `{error, error_description}` bodies with HTTP 400.
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { JSON_TYPE, readBody, sendBody } from './http-util';
import { publicKeyFromPem, verifyRs256 } from './jwt';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** How far in the future a JWT may expire (Salesforce asks for about three minutes). */
const MAX_JWT_LIFETIME_S = 5 * 60;

type OAuthError = [error: string, description: string];
const INVALID_CLIENT_ID: OAuthError = ['invalid_client_id', 'client identifier invalid'];
const INVALID_CLIENT: OAuthError = ['invalid_client', 'invalid client credentials'];
const AUTH_FAILURE: OAuthError = ['invalid_grant', 'authentication failure'];
const INVALID_ASSERTION: OAuthError = ['invalid_grant', 'invalid assertion'];
const BAD_AUDIENCE: OAuthError = ['invalid_grant', 'audience is invalid'];
const UNSUPPORTED_GRANT: OAuthError = ['unsupported_grant_type', 'grant type not supported'];

/** Handles `POST /services/oauth2/token`. */
export async function handleToken(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return sendOAuthError(req, res, 405, ['invalid_request', 'must use HTTP POST']);
  const form = new URLSearchParams(await readBody(req));
  const p = (name: string) => form.get(name) ?? '';
  const c = ctx.credentials;
  const grant = p('grant_type');
  const fail = (e: OAuthError) => sendOAuthError(req, res, 400, e);
  let scope: string | undefined;
  if (grant === 'password') {
    if (p('client_id') !== c.clientId) return fail(INVALID_CLIENT_ID);
    if (p('client_secret') !== c.clientSecret) return fail(INVALID_CLIENT);
    if (p('username').toLowerCase() !== c.username.toLowerCase() || p('password') !== c.password + c.securityToken) {
      return fail(AUTH_FAILURE);
    }
  } else if (grant === 'client_credentials') {
    if (p('client_id') !== c.clientId) return fail(INVALID_CLIENT_ID);
    if (p('client_secret') !== c.clientSecret) return fail(INVALID_CLIENT);
    scope = 'api';
  } else if (grant === JWT_GRANT) {
    const error = checkAssertion(ctx, p('assertion'));
    if (error) return fail(error);
    scope = 'api';
  } else {
    return fail(UNSUPPORTED_GRANT);
  }
  const accessToken = ctx.sessions.create();
  const id = `${ctx.url}/id/${ctx.identity.orgId}/${ctx.identity.userId}`;
  // issued_at is the org's clock; the signature lets clients check id + issued_at with the consumer secret.
  const issuedAt = String(ctx.clock.now());
  const signature = createHmac('sha256', c.clientSecret)
    .update(id + issuedAt)
    .digest('base64');
  const body = {
    access_token: accessToken,
    ...(scope ? { scope } : {}),
    instance_url: ctx.instanceUrl,
    id,
    token_type: 'Bearer',
    issued_at: issuedAt,
    signature,
  };
  sendBody(req, res, 200, JSON_TYPE, JSON.stringify(body), {
    'Cache-Control': 'no-cache,must-revalidate,max-age=0,no-store,private',
  });
}

/** Why a JWT bearer assertion is refused, or undefined when it is good. */
function checkAssertion(ctx: SimContext, assertion: string): OAuthError | undefined {
  const c = ctx.credentials;
  const claims = verifyRs256(assertion, publicKeyFromPem(c.jwtPublicKeyPem));
  if (!claims) return INVALID_ASSERTION;
  if (claims.iss !== c.clientId) return INVALID_CLIENT_ID;
  // Salesforce's rule (help article "OAuth 2.0 JWT Bearer Flow for Server-to-Server Integration", claim `aud`):
  // https://login.salesforce.com, https://test.salesforce.com or an Experience Cloud site URL; a My Domain URL is
  // refused. Here the login URL (`url`) plays the site and the instance URL (`instanceUrl`) the My Domain host.
  const audiences = [ctx.url, 'https://login.salesforce.com', 'https://test.salesforce.com'];
  const auds = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).map((a) => String(a).replace(/\/+$/, ''));
  if (!auds.some((a) => audiences.includes(a))) return BAD_AUDIENCE;
  if (typeof claims.sub !== 'string' || claims.sub.toLowerCase() !== c.username.toLowerCase()) return INVALID_ASSERTION;
  // Clients sign with their own (wall) clock, not the simulated one, so exp is checked against wall time.
  const nowS = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowS || claims.exp > nowS + MAX_JWT_LIFETIME_S) {
    return INVALID_ASSERTION;
  }
  return undefined;
}

/** Handles `POST /services/oauth2/revoke`: the token stops working; unknown tokens get 400. */
export async function handleRevoke(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return sendOAuthError(req, res, 405, ['invalid_request', 'must use HTTP POST']);
  const token = new URLSearchParams(await readBody(req)).get('token') ?? '';
  if (!ctx.sessions.touch(token))
    return sendOAuthError(req, res, 400, ['unsupported_token_type', 'this token type is not supported']);
  ctx.sessions.revoke(token);
  res.writeHead(200, { 'Content-Length': '0' }).end();
}

/** An OAuth error body. */
export function sendOAuthError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  [error, description]: OAuthError,
): void {
  sendBody(req, res, status, JSON_TYPE, JSON.stringify({ error, error_description: description }));
}
