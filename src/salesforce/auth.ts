/**
 * Authentication strategies: how one configured `salesforce.auth` block obtains a session on a jsforce
 * Connection.
 *
 * - `password`: SOAP `login()` with password + security token (jsforce's SOAP path, used when no OAuth client is
 *   configured). Unavailable from API 65.0 and retired for all versions in Summer '27.
 * - `oauth-password`: OAuth 2.0 username-password grant.
 * - `client-credentials`: OAuth 2.0 client-credentials grant; must use the org's My Domain URL.
 * - `jwt`: OAuth 2.0 JWT bearer grant with an RS256 assertion signed here.
 *
 * The strategies call jsforce's `loginBySoap` / `loginByOAuth2` / `authorize` directly rather than `login()`:
 * `login()` would replace the session's refresh function with its own, and the session pool relies on its own
 * (de-duplicated, refresh-once) refresh for every flow.
 */
import type { Connection, OAuth2Config } from 'jsforce';
import type { AuthConfig } from '../config/types';
import { SalesforceError, soapRetiredMessage } from './errors';
import { defaultJwtAudience, parseRsaPrivateKey, signJwtBearerAssertion } from './jwt';
import { SOAP_LOGIN_MAX_EXCLUSIVE_VERSION, type CheckedSalesforceConfig } from './salesforce-config';
import type { KeyObject } from 'node:crypto';

/** Who logged in, as the token or login response tells it. Never holds a secret. */
export interface AuthResult {
  orgId: string;
  userId: string;
  /** Known for every flow but client-credentials (whose Run As user is chosen by the app). */
  username?: string;
  /** The identity service URL (`…/id/<orgId>/<userId>`), for looking the username up when it is not known. */
  identityUrl?: string;
}

/** One way of logging in, bound to one configuration. */
export interface AuthStrategy {
  readonly type: AuthConfig['type'];
  /** The configured username, for messages (not a secret). */
  readonly username?: string;
  /** Every configured secret, for scrubbing messages. */
  readonly secrets: readonly string[];
  /** What jsforce's Connection needs to reach the token endpoint (the OAuth client, when the flow posts it). */
  readonly oauth2: OAuth2Config;
  /** Logs the connection in (replacing any previous session on it). */
  authenticate(conn: Connection): Promise<AuthResult>;
}

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The strategy for a checked configuration. Does no I/O; configuration errors surface at `authenticate`. */
export function createAuthStrategy(config: CheckedSalesforceConfig): AuthStrategy {
  const auth = config.auth;
  const loginUrl = config.loginUrl;
  switch (auth.type) {
    case 'password':
      return {
        type: auth.type,
        username: auth.username,
        secrets: secretsOf(auth.password, auth.securityToken, auth.password + auth.securityToken),
        oauth2: { loginUrl },
        async authenticate(conn) {
          if (config.apiVersionNumber >= SOAP_LOGIN_MAX_EXCLUSIVE_VERSION) {
            throw new SalesforceError(soapRetiredMessage());
          }
          // The security token is appended to the password; an empty token is fine from trusted IP ranges.
          const info = await conn.loginBySoap(auth.username, auth.password + auth.securityToken);
          return { orgId: info.organizationId, userId: info.id, username: auth.username };
        },
      };
    case 'oauth-password':
      return {
        type: auth.type,
        username: auth.username,
        secrets: secretsOf(auth.password, auth.securityToken, auth.password + auth.securityToken, auth.clientSecret),
        oauth2: { loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret },
        async authenticate(conn) {
          const info = await conn.loginByOAuth2(auth.username, auth.password + auth.securityToken);
          return { orgId: info.organizationId, userId: info.id, username: auth.username };
        },
      };
    case 'client-credentials':
      return {
        type: auth.type,
        secrets: secretsOf(auth.clientSecret),
        oauth2: { loginUrl, clientId: auth.clientId, clientSecret: auth.clientSecret },
        async authenticate(conn) {
          const host = new URL(loginUrl).hostname.toLowerCase();
          if (host === 'login.salesforce.com' || host === 'test.salesforce.com') {
            throw new SalesforceError({
              kind: 'config',
              message:
                `The client-credentials flow is not served on ${host}: set salesforce.loginUrl to your My Domain ` +
                'URL (https://<MyDomain>.my.salesforce.com, or <MyDomain>--<sandbox>.sandbox.my.salesforce.com).',
            });
          }
          const info = await conn.authorize({ grant_type: 'client_credentials' });
          return userInfoResult(info);
        },
      };
    case 'jwt': {
      let key: KeyObject | undefined;
      const audience = auth.audience ?? defaultJwtAudience(loginUrl);
      return {
        type: auth.type,
        username: auth.username,
        secrets: secretsOf(auth.privateKey),
        // No clientId here: jsforce would add client_id to the JWT grant, which carries the client in `iss`.
        oauth2: { loginUrl },
        async authenticate(conn) {
          key ??= parseRsaPrivateKey(auth.privateKey);
          const assertion = signJwtBearerAssertion({
            clientId: auth.clientId,
            username: auth.username,
            audience,
            privateKey: key,
          });
          const info = await conn.authorize({ grant_type: JWT_BEARER_GRANT, assertion });
          return { ...userInfoResult(info), username: auth.username };
        },
      };
    }
  }
}

/** jsforce derives org and user ids from the token response's identity URL (`…/id/<orgId>/<userId>`). */
function userInfoResult(info: { id?: string; organizationId?: string; url?: string }): AuthResult {
  if (!info.id || !info.organizationId) {
    throw new SalesforceError({
      kind: 'transient',
      message: 'The Salesforce token response had no identity URL (id): cannot tell the org and user; retrying.',
    });
  }
  return { orgId: info.organizationId, userId: info.id, ...(info.url ? { identityUrl: info.url } : {}) };
}

function secretsOf(...values: string[]): string[] {
  return values.filter((v) => v.length > 0);
}
