/**
 * The JWT bearer assertion for Salesforce's OAuth 2.0 JWT bearer flow, signed RS256 with node:crypto (no JWT
 * library): `iss` = consumer key, `sub` = username, `aud` = authorization server, `exp` = now + 3 minutes.
 */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { SalesforceError } from './errors';

/** Lifetime of an assertion; Salesforce wants `exp` within a few minutes of now. */
export const JWT_ASSERTION_TTL_SECONDS = 180;

/** Input of {@link signJwtBearerAssertion}. */
export interface JwtAssertionInput {
  clientId: string;
  username: string;
  audience: string;
  /** PEM (PKCS#1 or PKCS#8) RSA private key, or an already parsed key. */
  privateKey: string | KeyObject;
  /** Epoch milliseconds; default `Date.now()`. */
  now?: number;
}

/**
 * The compact JWS `header.claims.signature`.
 *
 * @throws SalesforceError (config) when the key is not an RSA private key; the message never quotes the key.
 */
export function signJwtBearerAssertion(input: JwtAssertionInput): string {
  const key = typeof input.privateKey === 'string' ? parseRsaPrivateKey(input.privateKey) : input.privateKey;
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  const header = { alg: 'RS256', typ: 'JWT' };
  const claims = {
    iss: input.clientId,
    sub: input.username,
    aud: input.audience,
    exp: now + JWT_ASSERTION_TTL_SECONDS,
  };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), key);
  return `${signingInput}.${base64url(signature)}`;
}

/**
 * Parses the configured private key. Keys passed through environment variables often arrive with literal `\n`
 * sequences instead of line breaks; those are restored first.
 *
 * @throws SalesforceError (config) when the value is not a PEM RSA private key.
 */
export function parseRsaPrivateKey(pem: string): KeyObject {
  const text = pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw new SalesforceError({
      kind: 'config',
      message:
        'salesforce.auth.privateKey is not a readable PEM private key: give the RSA key whose certificate is ' +
        'uploaded to the connected app (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----, unencrypted).',
    });
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new SalesforceError({
      kind: 'config',
      message: `salesforce.auth.privateKey is a ${key.asymmetricKeyType ?? 'non-RSA'} key: Salesforce's JWT bearer flow needs RS256, an RSA key.`,
    });
  }
  return key;
}

/**
 * The `aud` claim when the configuration does not set one, by Salesforce's rule for the JWT bearer flow
 * (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm, "aud"): the authorization
 * server is `https://login.salesforce.com` for production orgs, My Domain login URLs included, and
 * `https://test.salesforce.com` for sandboxes (`test.salesforce.com`, `*.sandbox.my.salesforce.com`); an Experience
 * Cloud site uses its own URL. A My Domain URL itself is not an accepted audience ("audience is invalid"). Any other
 * host is taken for a site and is its own audience; set `auth.audience` when that guess is wrong.
 */
export function defaultJwtAudience(loginUrl: string): string {
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    return loginUrl.replace(/\/+$/, '');
  }
  const host = url.hostname.toLowerCase();
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) {
    return 'https://test.salesforce.com';
  }
  if (host === 'login.salesforce.com' || host.endsWith('.my.salesforce.com')) return 'https://login.salesforce.com';
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}
