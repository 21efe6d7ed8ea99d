/**
 * Authentication strategies: how one configured `salesforce.auth` block obtains a session.
 *
 * - `password`: SOAP `login()` with password + security token (jsforce's `loginBySoap`). Unavailable from API 65.0
 *   and retired for all versions in Summer '27.
 * - `oauth-password`: OAuth 2.0 username-password grant.
 * - `client-credentials`: OAuth 2.0 client-credentials grant; must use the org's My Domain URL.
 * - `jwt`: OAuth 2.0 JWT bearer grant with an RS256 assertion signed here.
 *
 * The OAuth grants go to the token endpoint through {@link LoginClient.requestToken}; the session renews any of
 * them by running the strategy again.
 */
import type { AuthConfig } from '../config/types';
import { SalesforceError, soapRetiredMessage } from './errors';
import { defaultJwtAudience, parseRsaPrivateKey, signJwtBearerAssertion } from './jwt';
import type { TokenGrant } from './oauth-token';
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

/** A logged-in session: who, plus the token and instance to call. `accessToken` is a secret. */
export interface Login extends AuthResult {
  accessToken: string;
  instanceUrl: string;
}

/** The two ways to the login server a strategy can take. */
export interface LoginClient {
  /** SOAP `login()`. */
  soapLogin(username: string, password: string): Promise<Login>;
  /** The OAuth token endpoint, with a grant's parameters. */
  requestToken(params: Record<string, string>): Promise<TokenGrant>;
}

/** One way of logging in, bound to one configuration. */
export interface AuthStrategy {
  readonly type: AuthConfig['type'];
  /** The configured username, for messages (not a secret). */
  readonly username?: string;
  /** Every configured secret, for scrubbing messages. */
  readonly secrets: readonly string[];
  /** Logs in afresh. */
  authenticate(client: LoginClient): Promise<Login>;
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
        async authenticate(client) {
          if ((config.apiVersionNumber ?? 0) >= SOAP_LOGIN_MAX_EXCLUSIVE_VERSION) {
            throw new SalesforceError(soapRetiredMessage());
          }
          // The security token is appended to the password; an empty token is fine from trusted IP ranges.
          return client.soapLogin(auth.username, auth.password + auth.securityToken);
        },
      };
    case 'oauth-password':
      return {
        type: auth.type,
        username: auth.username,
        secrets: secretsOf(auth.password, auth.securityToken, auth.password + auth.securityToken, auth.clientSecret),
        async authenticate(client) {
          const grant = await client.requestToken({
            grant_type: 'password',
            username: auth.username,
            password: auth.password + auth.securityToken,
            client_id: auth.clientId,
            client_secret: auth.clientSecret,
          });
          return { ...sessionOf(grant), username: auth.username };
        },
      };
    case 'client-credentials':
      return {
        type: auth.type,
        secrets: secretsOf(auth.clientSecret),
        async authenticate(client) {
          const host = new URL(loginUrl).hostname.toLowerCase();
          if (host === 'login.salesforce.com' || host === 'test.salesforce.com') {
            throw new SalesforceError({
              kind: 'config',
              message:
                `The client-credentials flow is not served on ${host}: set salesforce.loginUrl to your My Domain ` +
                'URL (https://<MyDomain>.my.salesforce.com, or <MyDomain>--<sandbox>.sandbox.my.salesforce.com).',
            });
          }
          const grant = await client.requestToken({
            grant_type: 'client_credentials',
            client_id: auth.clientId,
            client_secret: auth.clientSecret,
          });
          return { ...sessionOf(grant), identityUrl: grant.identityUrl };
        },
      };
    case 'jwt': {
      let key: KeyObject | undefined;
      const audience = auth.audience ?? defaultJwtAudience(loginUrl);
      return {
        type: auth.type,
        username: auth.username,
        secrets: secretsOf(auth.privateKey),
        async authenticate(client) {
          key ??= parseRsaPrivateKey(auth.privateKey);
          const assertion = signJwtBearerAssertion({
            clientId: auth.clientId,
            username: auth.username,
            audience,
            privateKey: key,
          });
          // No client_id: the JWT grant carries the client in `iss`.
          const grant = await client.requestToken({ grant_type: JWT_BEARER_GRANT, assertion });
          return { ...sessionOf(grant), identityUrl: grant.identityUrl, username: auth.username };
        },
      };
    }
  }
}

function sessionOf(grant: TokenGrant): Login {
  return {
    orgId: grant.orgId,
    userId: grant.userId,
    accessToken: grant.accessToken,
    instanceUrl: grant.instanceUrl,
  };
}

function secretsOf(...values: string[]): string[] {
  return values.filter((v) => v.length > 0);
}
