/**
 * Messages for REST, network and permission failures: what failed, Salesforce's code, and what to fix. Login
 * failures are worded in `login-error-messages.ts`.
 */
import {
  CONCURRENCY_LIMIT_RETRY_MS,
  DEFAULT_RATE_LIMIT_RETRY_MS,
  endpointPath,
  INVALID_REQUEST_CODES,
  LOGIN_RATE_RETRY_MS,
  parseRetryAfter,
  PERMISSION_CODES,
  TLS_CODES,
  TRANSIENT_CODES,
  type Facts,
} from './error-facts';
import type { ClassifyContext } from './errors';
import { describeOAuth, describeSoapLogin, who, type Built } from './login-error-messages';
import { quoteForeignText } from './redact';

/** Chooses the kind and the actionable message for extracted facts. */
export function describeFailure(f: Facts, ctx: ClassifyContext): Built {
  const said = f.description ? ` Salesforce said: "${quoteForeignText(f.description, ctx.secrets)}"` : '';
  const code = f.code ?? (f.status ? `HTTP ${f.status}` : 'no error code');
  const where = ctx.endpoint ? ` on ${endpointPath(ctx.endpoint)}` : '';

  if (f.origin === 'network') return describeNetwork(f, ctx);

  // Codes that mean the same thing whichever protocol returned them.
  switch (f.code) {
    case 'REQUEST_LIMIT_EXCEEDED': {
      if (/concurrent/i.test(f.description)) {
        return {
          kind: 'rate-limited',
          retryAfterMs: parseRetryAfter(ctx.retryAfter) ?? CONCURRENCY_LIMIT_RETRY_MS,
          message:
            'Salesforce refused the request because too many long-running requests are in flight for the org ' +
            `(REQUEST_LIMIT_EXCEEDED): elfstream waits and retries; lower the source concurrency if this repeats.${said}`,
        };
      }
      const retryAfterMs = parseRetryAfter(ctx.retryAfter) ?? DEFAULT_RATE_LIMIT_RETRY_MS;
      return {
        kind: 'rate-limited',
        retryAfterMs,
        message:
          `The org's daily API request allowance is used up (REQUEST_LIMIT_EXCEEDED): elfstream waits ` +
          `${formatDuration(retryAfterMs)} before trying again; check Setup → Company Information → ` +
          `"API Requests, Last 24 Hours", reduce other integrations' usage or ask Salesforce for a higher limit.`,
      };
    }
    case 'LOGIN_RATE_EXCEEDED':
      return {
        kind: 'rate-limited',
        retryAfterMs: LOGIN_RATE_RETRY_MS,
        message:
          `Salesforce refused the login for ${who(ctx)} because the user logged in too often in the last hour ` +
          '(LOGIN_RATE_EXCEEDED): elfstream waits before trying again; make sure no other process shares this user.',
      };
    case 'API_DISABLED_FOR_ORG':
      return {
        kind: 'permission',
        message:
          `The Salesforce API is not enabled for ${who(ctx)} in this org (API_DISABLED_FOR_ORG): the org's edition ` +
          'must include API access (Enterprise, Performance, Unlimited or Developer) and the integration user needs ' +
          "the permission 'API Enabled'.",
      };
    case 'API_CURRENTLY_DISABLED':
      return {
        kind: 'transient',
        message: `The Salesforce API is temporarily disabled for this org (API_CURRENTLY_DISABLED): retrying later.${said}`,
      };
    case 'UNSUPPORTED_API_VERSION':
      return {
        kind: 'config',
        message:
          `Salesforce does not support API version ${ctx.apiVersion ?? '(configured)'} here ` +
          `(UNSUPPORTED_API_VERSION; retired versions answer so): set salesforce.apiVersion to "auto" or a current ` +
          `version such as 68.0.${said}`,
      };
    default:
      break;
  }

  if (f.code && TRANSIENT_CODES.has(f.code)) {
    return {
      kind: 'transient',
      retryAfterMs: parseRetryAfter(ctx.retryAfter),
      message:
        f.code === 'INVALID_QUERY_LOCATOR'
          ? `Salesforce expired the query cursor${where} (INVALID_QUERY_LOCATOR): the listing restarts from its last position.`
          : `Salesforce is temporarily unable to serve the request${where} (${code}): retrying with backoff.${said}`,
    };
  }
  if (f.origin === 'soap' || (ctx.operation === 'login' && f.origin === 'other')) return describeSoapLogin(f, ctx);
  if (f.origin === 'oauth') return describeOAuth(f, ctx);

  // REST (or unknown) responses.
  if (f.code === 'INVALID_SESSION_ID' || f.status === 401) {
    return {
      kind: 'auth',
      message: ctx.afterRefresh
        ? `Salesforce rejected the session for ${who(ctx)} even after logging in again (${code}): the session may be ` +
          "locked to another IP address, restricted by the connected app's session policies, or revoked; check " +
          "the app's OAuth policies and the user's login IP ranges."
        : `Salesforce rejected the session for ${who(ctx)} (${code}): log in again; if this repeats, check the ` +
          "connected app's session policies and the user's login IP ranges.",
    };
  }
  if (f.status !== undefined && (f.status >= 500 || f.status === 420 || f.status === 429 || f.status === 408)) {
    return {
      kind: 'transient',
      retryAfterMs: parseRetryAfter(ctx.retryAfter),
      message: `Salesforce answered HTTP ${f.status}${f.code ? ` ${f.code}` : ''}${where}: retrying with backoff.${said}`,
    };
  }
  if (ctx.operation === 'download' && (f.status === 404 || f.code === 'NOT_FOUND' || f.code === 'ENTITY_IS_DELETED')) {
    return {
      kind: 'not-found',
      message:
        `EventLogFile ${ctx.fileId ?? ''} no longer exists (${code}): it was probably deleted when its retention ` +
        `ended (${retentionText(ctx.retentionDays)}) between listing and download; it is skipped.`,
    };
  }
  if (f.code && PERMISSION_CODES.has(f.code) && (f.code !== 'NOT_FOUND' || ctx.operation === 'describe')) {
    return describeElfPermission(f, ctx);
  }
  if (f.status === 403) return describeElfPermission(f, ctx);
  if (f.status === 410) {
    // Retired API versions answer REST requests with 410 GONE ("API End-of-Life Policy",
    // https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/api_rest_eol.htm).
    return {
      kind: 'config',
      message:
        `Salesforce has retired API version ${ctx.apiVersion ?? '(configured)'} (410 GONE): set ` +
        `salesforce.apiVersion to "auto" or a current version such as 68.0.${said}`,
    };
  }
  if (f.code === 'NOT_FOUND' || f.status === 404) {
    return {
      kind: 'config',
      message:
        `Salesforce has no resource at ${endpointPath(ctx.endpoint ?? '(unknown)')} (${code}): check that ` +
        `salesforce.apiVersion (${ctx.apiVersion ?? 'unset'}) is supported by the org and that the URL points to ` +
        `Salesforce.${said}`,
    };
  }
  if (f.code && INVALID_REQUEST_CODES.has(f.code)) {
    return {
      kind: 'invalid-request',
      message:
        `Salesforce rejected the ${ctx.operation ?? 'request'}${where} (${f.code}): ` +
        (f.code === 'INVALID_FIELD'
          ? `a field is not available at API version ${ctx.apiVersion ?? '(configured)'} (Interval and Sequence need ` +
            '37.0 or later).'
          : 'this is a bug in elfstream or an org setup it does not support; please report it.') +
        said,
    };
  }
  if (f.status !== undefined && f.status >= 400 && f.status < 500) {
    return { kind: 'invalid-request', message: `Salesforce rejected the request${where} (${code}).${said}` };
  }
  if (/HTML page/.test(f.description)) {
    return {
      kind: 'config',
      message:
        `Salesforce answered${where} with an HTML page instead of an API response: check salesforce.loginUrl ` +
        '(and that the org exists and can be reached).',
    };
  }
  return { kind: 'transient', message: `Unexpected failure talking to Salesforce${where} (${code}).${said}` };
}

const PROXY_VARIABLES = 'https_proxy, http_proxy, HTTPS_PROXY or HTTP_PROXY';

function describeNetwork(f: Facts, ctx: ClassifyContext): Built {
  const target = hostOf(ctx.endpoint) ?? hostOf(ctx.loginUrl) ?? 'Salesforce';
  const c = f.code ?? 'network error';
  if (TLS_CODES.test(c)) {
    return {
      kind: 'config',
      message:
        `The TLS certificate of ${target} could not be verified (${c}): if a proxy inspects TLS, give Node its CA ` +
        'with NODE_EXTRA_CA_CERTS; otherwise check salesforce.loginUrl.',
    };
  }
  if (ctx.viaProxy && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT)$/.test(c)) {
    return {
      kind: 'transient',
      message:
        `${target} cannot be reached through the HTTP proxy set in the environment (${PROXY_VARIABLES}) (${c}): ` +
        'check that the proxy is up and lets the worker reach Salesforce, or unset the variable; retrying with backoff.',
    };
  }
  switch (c) {
    case 'ECONNREFUSED':
      return {
        kind: 'transient',
        message:
          `${target} is unreachable (ECONNREFUSED, connection refused): check salesforce.loginUrl, the network and ` +
          'any proxy (HTTPS_PROXY); retrying with backoff.',
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        kind: 'transient',
        message:
          `The host of ${target} cannot be resolved (${c}): check salesforce.loginUrl (a My Domain URL looks like ` +
          'https://acme.my.salesforce.com) and DNS; retrying with backoff.',
      };
    case 'ETIMEDOUT':
    case 'ESOCKETTIMEDOUT':
      return {
        kind: 'transient',
        message: `The request to ${target} timed out (${c}): retrying with backoff.`,
      };
    default:
      return {
        kind: 'transient',
        message:
          `The connection to ${target} failed (${c})` +
          (ctx.operation === 'download' ? ' while downloading a LogFile' : '') +
          ': retrying with backoff.',
      };
  }
}

function describeElfPermission(f: Facts, ctx: ClassifyContext): Built {
  const said = f.description ? ` Salesforce said: "${quoteForeignText(f.description, ctx.secrets)}"` : '';
  const code = f.code ?? `HTTP ${f.status ?? 403}`;
  const aboutElf =
    /EventLogFile/i.test(f.description) ||
    /EventLogFile/i.test(ctx.endpoint ?? '') ||
    ctx.operation === 'describe' ||
    ctx.operation === 'query' ||
    ctx.operation === 'download';
  if (!aboutElf) {
    return {
      kind: 'permission',
      message: `Salesforce denied ${who(ctx)} access${ctx.endpoint ? ` to ${endpointPath(ctx.endpoint)}` : ''} (${code}).${said}`,
    };
  }
  return {
    kind: 'permission',
    message:
      `EventLogFile is not accessible to ${who(ctx)} (${code}): Event Monitoring may not be enabled for the org ` +
      '(Enterprise, Performance, Unlimited or Developer edition; most event types need the Event Monitoring ' +
      "add-on), or the user lacks permissions — grant the permission 'View Event Log Files' (and 'API Enabled') " +
      'to the integration user' +
      (f.code === 'INVALID_TYPE' ? '; elfstream also needs salesforce.apiVersion 37.0 or later.' : '.') +
      said,
  };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function formatDuration(ms: number): string {
  if (ms >= 3_600_000) return `${Math.round((ms / 3_600_000) * 10) / 10} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.ceil(ms / 1000)} s`;
}

/**
 * How long the org keeps files, for "no longer exists" messages: the source's `retention`, or Salesforce's default
 * when the caller does not know it.
 */
export function retentionText(days: number | undefined): string {
  if (days === undefined) return '30 days after CreatedDate by default, 1 day in Developer Edition';
  return `${days} day${days === 1 ? '' : 's'} after CreatedDate, the source's retention`;
}
