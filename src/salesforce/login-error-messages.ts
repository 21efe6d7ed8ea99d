/**
 * Messages for login failures: SOAP `login()` faults and OAuth token endpoint errors, each saying what to fix in
 * `salesforce.auth`.
 */
import type { AuthConfig } from '../config/types';
import type { ClassifyContext, SalesforceErrorInit } from './errors';
import { LOGIN_RATE_RETRY_MS, type Facts } from './error-facts';
import { quoteForeignText } from './redact';

/** A classification before the request context is attached. */
export type Built = Pick<SalesforceErrorInit, 'kind' | 'message' | 'retryAfterMs'>;

/**
 * From Summer '26, SOAP `login()` in new orgs (and in existing orgs that turn the enforcement on) also needs the
 * user permission "Use Any API Auth" ("Platform SOAP API login() Retirement",
 * https://help.salesforce.com/s/articleView?id=005132110). Salesforce does not document the fault it answers then,
 * so every rejected SOAP login names the permission, and a fault that mentions it gets its own message.
 */
const USE_ANY_API_AUTH_TEXT = /use any api auth|api auth/i;
const USE_ANY_API_AUTH_HINT =
  "In orgs created from Summer '26 (or that enforce it), SOAP login() also needs the user permission " +
  "'Use Any API Auth' on the integration user; client-credentials or jwt auth needs neither.";

function useAnyApiAuthMessage(code: string, said: string): Built {
  return {
    kind: 'permission',
    message:
      `Salesforce refused SOAP login() (${code}): the integration user lacks the permission 'Use Any API Auth', ` +
      "which SOAP login() needs from Summer '26 in new orgs: grant it through a permission set, or switch " +
      "salesforce.auth.type to client-credentials or jwt (SOAP login() is retired in Summer '27)." +
      said,
  };
}

/** SOAP `login()` failures (and unrecognised failures during a login). */
export function describeSoapLogin(f: Facts, ctx: ClassifyContext): Built {
  const said = f.description ? ` Salesforce said: "${quoteForeignText(f.description, ctx.secrets)}"` : '';
  switch (f.code) {
    case 'INVALID_LOGIN':
      return {
        kind: 'auth',
        message:
          `Salesforce rejected the login for ${who(ctx)} (INVALID_LOGIN): check the username, the password and the ` +
          'security token (appended to the password), or use an OAuth flow; the user may also be locked out or ' +
          `frozen. ${USE_ANY_API_AUTH_HINT}`,
      };
    case 'LOGIN_MUST_USE_SECURITY_TOKEN':
      return {
        kind: 'auth',
        message:
          `Salesforce requires a security token for ${who(ctx)} from this network (LOGIN_MUST_USE_SECURITY_TOKEN): ` +
          'set salesforce.auth.securityToken (Setup → My Personal Information → Reset My Security Token) or add ' +
          "the worker's IP range to the org's trusted IPs.",
      };
    case 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD':
      return {
        kind: 'auth',
        message:
          `The password of ${who(ctx)} has expired (INVALID_OPERATION_WITH_EXPIRED_PASSWORD): log in to Salesforce ` +
          'once to set a new one, update salesforce.auth.password, and give the integration user a profile whose ' +
          'passwords never expire.',
      };
    case 'INVALID_OPERATION':
    case 'UNSUPPORTED_CLIENT':
    case 'INVALID_SOAP_HEADER':
      if (USE_ANY_API_AUTH_TEXT.test(f.description)) return useAnyApiAuthMessage(f.code, said);
      if (/not available in the API version|version specified|\b6[5-9]\.0\b|\b[7-9]\d\.0\b/i.test(f.description)) {
        return soapRetiredMessage();
      }
      if (/disabled|not enabled|not allowed/i.test(f.description)) {
        return {
          kind: 'config',
          message:
            `SOAP API login() is disabled in this org (${f.code}): switch salesforce.auth.type to client-credentials ` +
            "or jwt (recommended: SOAP login() is retired in Summer '27), or ask an admin to allow SOAP API login()." +
            said,
        };
      }
      break;
    case 'INVALID_SSO_GATEWAY_URL':
    case 'SSO_SERVICE_DOWN':
      return { kind: 'transient', message: `Salesforce's single sign-on service failed (${f.code}): retrying.${said}` };
    default:
      break;
  }
  if (USE_ANY_API_AUTH_TEXT.test(f.description)) return useAnyApiAuthMessage(f.code ?? 'no error code', said);
  if (f.code && /^LOGIN_|^INVALID_LOGIN|_LOGIN$/.test(f.code)) {
    return {
      kind: 'auth',
      message: `Salesforce rejected the login for ${who(ctx)} (${f.code}): check salesforce.auth.${said}`,
    };
  }
  if (/could not extract session information/i.test(f.description)) {
    return {
      kind: 'config',
      message:
        `The SOAP login at ${ctx.loginUrl ?? 'salesforce.loginUrl'} returned no session: check that salesforce.loginUrl ` +
        'is https://login.salesforce.com, https://test.salesforce.com or your My Domain URL.',
    };
  }
  if (/no username password given/i.test(f.description)) {
    return { kind: 'config', message: 'salesforce.auth.username and salesforce.auth.password must be set.' };
  }
  if (f.status !== undefined && f.status >= 500 && !f.code) {
    return { kind: 'transient', message: `The Salesforce login failed with HTTP ${f.status}: retrying.${said}` };
  }
  if (/HTML page/.test(f.description)) {
    return {
      kind: 'config',
      message:
        `The login URL ${ctx.loginUrl ?? ''} answered with an HTML page instead of a SOAP response: check ` +
        'salesforce.loginUrl (https://login.salesforce.com, https://test.salesforce.com or your My Domain URL).',
    };
  }
  return {
    kind: 'auth',
    message: `The Salesforce login for ${who(ctx)} failed (${f.code ?? 'no error code'}): check salesforce.auth.${said}`,
  };
}

/** The Summer '27 SOAP retirement message (also thrown before any request when apiVersion >= 65.0). */
export function soapRetiredMessage(): Built {
  return {
    kind: 'config',
    message:
      "SOAP login() is not available in API 65.0 and later (retired in Summer '27): set salesforce.apiVersion below " +
      '65.0 or switch salesforce.auth.type to client-credentials or jwt.',
  };
}

/** OAuth token endpoint failures (`{error, error_description}`), worded for the configured flow. */
export function describeOAuth(f: Facts, ctx: ClassifyContext): Built {
  const desc = f.description;
  const said = desc ? `: ${quoteForeignText(desc, ctx.secrets)}` : '';
  const codeText = `${f.code ?? `HTTP ${f.status ?? '?'}`}${said}`;
  const flow = flowName(ctx.authType);
  if (/not supported on this domain/i.test(desc)) {
    return {
      kind: 'config',
      message:
        `Salesforce refused the ${flow} flow on ${ctx.loginUrl ?? 'this login URL'} (${codeText}): set ` +
        'salesforce.loginUrl to your My Domain URL (https://<MyDomain>.my.salesforce.com, or ' +
        '…sandbox.my.salesforce.com for a sandbox); login.salesforce.com and test.salesforce.com do not serve it.',
    };
  }
  if (f.status !== undefined && (f.status >= 500 || f.status === 429 || f.status === 420)) {
    const detail = f.code ? `HTTP ${f.status}, ${codeText}` : codeText;
    return { kind: 'transient', message: `The Salesforce token endpoint failed (${detail}): retrying.` };
  }
  switch (f.code) {
    case 'temporarily_unavailable':
    case 'server_error':
      return { kind: 'transient', message: `The Salesforce token endpoint is unavailable (${codeText}): retrying.` };
    case 'rate_limit_exceeded':
      return {
        kind: 'rate-limited',
        retryAfterMs: LOGIN_RATE_RETRY_MS,
        message: `Salesforce throttled token requests (${codeText}): elfstream waits before logging in again.`,
      };
    case 'invalid_client_id':
    case 'invalid_client':
    case 'invalid_client_credentials':
      return {
        kind: 'auth',
        message:
          `Salesforce does not accept the OAuth client (${codeText}): check salesforce.auth.clientId (the app's ` +
          'consumer key) and clientSecret, and that the app is installed in this org (new apps take a few minutes).',
      };
    case 'unsupported_grant_type':
      return {
        kind: 'config',
        message:
          `The ${flow} flow is not enabled for this app or org (${codeText}): enable it in the app's OAuth settings ` +
          'or choose another salesforce.auth.type.',
      };
    case 'inactive_user':
    case 'inactive_org':
      return {
        kind: 'auth',
        message: `Salesforce refused the login for ${who(ctx)} because the ${f.code === 'inactive_user' ? 'user' : 'org'} is inactive (${codeText}).`,
      };
    default:
      break;
  }
  switch (ctx.authType) {
    case 'client-credentials':
      return {
        kind: 'auth',
        message:
          `Salesforce rejected the client-credentials login (${codeText}): check salesforce.auth.clientId and ` +
          'clientSecret, that the app enables the Client Credentials Flow with a Run As user, and that ' +
          'salesforce.loginUrl is your My Domain URL.',
      };
    case 'jwt':
      if (/approved|pre-?authori/i.test(desc)) {
        return {
          kind: 'auth',
          message:
            `Salesforce refused the JWT bearer login for ${who(ctx)} (${codeText}): pre-authorize the user for the ` +
            'app ("Admin approved users are pre-authorized" plus the user\'s profile or a permission set).',
        };
      }
      if (/audience/i.test(desc)) {
        return {
          kind: 'config',
          message:
            `Salesforce rejected the JWT audience (${codeText}): set salesforce.auth.audience to ` +
            'https://login.salesforce.com (production), https://test.salesforce.com (sandbox) or your Experience ' +
            'Cloud site URL.',
        };
      }
      return {
        kind: 'auth',
        message:
          `Salesforce rejected the JWT bearer login for ${who(ctx)} (${codeText}): check that the certificate ` +
          "uploaded to the app matches salesforce.auth.privateKey, that clientId is the app's consumer key, that " +
          'the username is right and pre-authorized for the app, and the audience (salesforce.auth.audience).',
      };
    case 'oauth-password':
      return {
        kind: 'auth',
        message:
          `Salesforce rejected the OAuth username-password login for ${who(ctx)} (${codeText}): check the username, ` +
          'the password and the security token (appended to the password) and the client id/secret; this flow is ' +
          "blocked by default in orgs created since Summer '23 and unsupported by External Client Apps, so prefer " +
          'client-credentials or jwt.',
      };
    default:
      return { kind: 'auth', message: `Salesforce rejected the login for ${who(ctx)} (${codeText}).` };
  }
}

/** How messages name the user. */
export function who(ctx: ClassifyContext): string {
  if (ctx.username) return ctx.username;
  if (ctx.authType === 'client-credentials') return "the client-credentials app's Run As user";
  return 'the integration user';
}

/** How messages name the auth flow. */
export function flowName(type: AuthConfig['type'] | undefined): string {
  switch (type) {
    case 'client-credentials':
      return 'client-credentials';
    case 'jwt':
      return 'JWT bearer';
    case 'oauth-password':
      return 'OAuth username-password';
    case 'password':
      return 'SOAP login';
    default:
      return 'OAuth';
  }
}
