/**
 * Fact extraction for the error classifier: what kind of foreign error was thrown (jsforce REST, OAuth, SOAP,
 * network), Salesforce's code, the HTTP status and the text, plus the code sets the messages are chosen by.
 */
import type { ClassifyContext } from './errors';

/** Default wait after `REQUEST_LIMIT_EXCEEDED`: the allowance is a rolling 24 h window. */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 60 * 60 * 1000;
/** Wait after a concurrent-request limit (`ConcurrentPerOrgLongTxn`): those clear within seconds. */
export const CONCURRENCY_LIMIT_RETRY_MS = 60 * 1000;
/** Wait after too many logins per hour for one user. */
export const LOGIN_RATE_RETRY_MS = 15 * 60 * 1000;

export const NETWORK_TRANSIENT = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'HPE_INVALID_CHUNK_SIZE',
  'Z_BUF_ERROR',
  'Z_DATA_ERROR',
]);

export const TLS_CODES =
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|EPROTO$|ERR_OSSL)/;

export const TRANSIENT_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'QUERY_TIMEOUT',
  'REQUEST_RUNNING_TOO_LONG',
  'API_CURRENTLY_DISABLED',
  'UNABLE_TO_LOCK_ROW',
  'INVALID_QUERY_LOCATOR',
  'TXN_SECURITY_METERING_ERROR',
  'temporarily_unavailable',
  'server_error',
]);

export const PERMISSION_CODES = new Set([
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'FUNCTIONALITY_NOT_ENABLED',
  'INVALID_TYPE',
  'NOT_FOUND',
]);

export const INVALID_REQUEST_CODES = new Set([
  'MALFORMED_QUERY',
  'INVALID_FIELD',
  'INVALID_QUERY_FILTER_OPERATOR',
  'INVALID_QUERY_SCOPE',
  'INVALID_OPERATOR',
  'INVALID_ID_FIELD',
  'MALFORMED_ID',
  'JSON_PARSER_ERROR',
  'INVALID_HEADER_TYPE',
]);

/** The facts extracted from a foreign error before a message is chosen. */
export interface Facts {
  origin: 'rest' | 'oauth' | 'soap' | 'network' | 'other';
  code?: string;
  status?: number;
  description: string;
}

/** `https://host/services/data/v62.0/query?q=…` → `/services/data/v62.0/query` (no query string, no host). */
export function endpointPath(urlOrPath: string): string {
  const noQuery = urlOrPath.split(/[?#]/, 1)[0] ?? '';
  try {
    return new URL(noQuery).pathname;
  } catch {
    return noQuery.startsWith('/') ? noQuery : `/${noQuery}`;
  }
}

/** Parses a `Retry-After` header (seconds or HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** What a foreign error tells: where it came from, Salesforce's code, the HTTP status, the text. */
export function extractFacts(err: unknown, ctx: ClassifyContext): Facts {
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as Record<string, unknown>;
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const status = ctx.status;

  const netCode = networkCode(e);
  if (netCode) return { origin: 'network', code: netCode, status, description: message };
  if (name === 'AbortError' || /Request Timeout|aborted due to timeout/i.test(message)) {
    return { origin: 'network', code: 'ETIMEDOUT', status, description: message };
  }

  // jsforce wraps a failed refresh: "Unable to refresh session due to: <inner message>".
  const refreshPrefix = 'Unable to refresh session due to: ';
  if (message.startsWith(refreshPrefix)) {
    return extractFacts(Object.assign(new Error(message.slice(refreshPrefix.length)), { name: 'Error' }), {
      ...ctx,
      operation: 'login',
    });
  }

  // jsforce HttpApiError: REST error body mapped to errorCode (+ data).
  if (typeof e.errorCode === 'string' && e.errorCode) {
    let code = e.errorCode;
    let description = message;
    if (code === 'MULTIPLE_API_ERRORS' && Array.isArray(e.data)) {
      const first = e.data[0] as { errorCode?: unknown; message?: unknown } | undefined;
      if (first && typeof first.errorCode === 'string') code = first.errorCode;
      if (first && typeof first.message === 'string') description = first.message;
    }
    const httpStatus = /^ERROR_HTTP_(\d{3})$/.exec(code);
    if (httpStatus) {
      return { origin: 'rest', status: status ?? Number(httpStatus[1]), description: htmlAware(message) };
    }
    return { origin: 'rest', code, status, description };
  }

  // jsforce OAuth2 errors: name = `error` (snake_case), message = `error_description`.
  const oauthHttp = /^ERROR_HTTP_(\d{3})$/.exec(name);
  if (oauthHttp) return { origin: 'oauth', status: status ?? Number(oauthHttp[1]), description: htmlAware(message) };
  if (/^[a-z][a-z_]+$/.test(name) && name !== 'error') {
    return { origin: 'oauth', code: name, status, description: message };
  }

  // SOAP login: Error(faultstring) with "CODE: message", or the whole body when it was not a fault.
  const soap = /^(?:sf:)?([A-Z][A-Z0-9_]{3,}):\s*([\s\S]*)$/.exec(message);
  if (soap && soap[1]) return { origin: 'soap', code: soap[1], status, description: soap[2] ?? '' };
  const fault = /<faultcode>(?:[\w]+:)?([A-Z_]+)<\/faultcode>\s*<faultstring>([^<]*)<\/faultstring>/.exec(message);
  if (fault && fault[1]) return { origin: 'soap', code: fault[1], status, description: fault[2] ?? '' };
  if (/used password has expired/i.test(message)) {
    return { origin: 'soap', code: 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD', status, description: message };
  }
  return { origin: 'other', status, description: htmlAware(message) };
}

/** A Node or node-fetch network error code, looking through `cause` (undici nests it). */
function networkCode(e: Record<string, unknown>): string | undefined {
  const candidates = [e.code, (e.cause as Record<string, unknown> | undefined)?.code, e.errno];
  for (const c of candidates) {
    if (typeof c !== 'string') continue;
    if (NETWORK_TRANSIENT.has(c) || TLS_CODES.test(c) || c.startsWith('UND_ERR_') || /^E[A-Z]{3,}$/.test(c)) return c;
  }
  if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) return 'ECONNRESET';
  return undefined;
}

/** HTML bodies (a wrong host, a maintenance page) are reduced to a hint instead of being quoted. */
function htmlAware(text: string): string {
  return /<html|<!doctype|contains html content/i.test(text) ? 'an HTML page instead of an API response' : text;
}
