/**
 * The one error type of the Salesforce client, and the classifier that turns whatever jsforce, Node or Salesforce
 * threw into it.
 *
 * Every message says what failed and what to fix, quotes Salesforce's own error code, and has passed through
 * {@link redactSecrets}: no password, token, client secret, private key or session id can reach a log line or
 * workflow history through it. The original error is deliberately not kept as `cause` (Temporal serialises the
 * cause chain into history, and jsforce errors can quote request bodies).
 */
import type { AuthConfig } from '../config/types';
import { describeFailure } from './error-messages';
import { endpointPath, extractFacts } from './error-facts';
import { redactSecrets } from './redact';

export { DEFAULT_RATE_LIMIT_RETRY_MS, endpointPath, parseRetryAfter } from './error-facts';
export { soapRetiredMessage } from './login-error-messages';

/** What the caller should do about a failure. */
export type SalesforceErrorKind =
  /** Credentials rejected (or a session rejected even after logging in again): fix the configuration. */
  | 'auth'
  /** The user or org lacks a permission or feature (View Event Log Files, API Enabled, Event Monitoring). */
  | 'permission'
  /** elfstream's Salesforce settings cannot work (URL, API version, auth type for this org). */
  | 'config'
  /** The org's API allowance (or elfstream's reserve of it) is used up: retry after `retryAfterMs`. */
  | 'rate-limited'
  /** 5xx, 420/429, network failures, timeouts, resets: retry with backoff. */
  | 'transient'
  /** The record is gone (an EventLogFile past its retention). */
  | 'not-found'
  /** Salesforce rejected the request itself (bad SOQL, unknown field): a bug or an unsupported org setup. */
  | 'invalid-request'
  /**
   * A LogFile body that arrived whole but cannot be an EventLogFile: its compressed stream is cut or corrupt.
   * Downloading it again serves the same bytes.
   */
  | 'unreadable';

/** The Salesforce operation that failed, for messages. */
export type SalesforceOperation = 'login' | 'query' | 'describe' | 'download' | 'limits' | 'identity';

/** Constructor input of {@link SalesforceError}. */
export interface SalesforceErrorInit {
  kind: SalesforceErrorKind;
  message: string;
  errorCode?: string;
  status?: number;
  retryAfterMs?: number;
  sourceId?: string;
  endpoint?: string;
}

/**
 * A classified Salesforce failure. Thrown by every method of the Salesforce client (and emitted on LogFile
 * streams); built by {@link classifySalesforceError} from foreign errors.
 */
export class SalesforceError extends Error {
  override readonly name = 'SalesforceError';
  readonly kind: SalesforceErrorKind;
  /** Salesforce's own code (`INVALID_LOGIN`, `REQUEST_LIMIT_EXCEEDED`, `invalid_grant`…) or a Node code (`ECONNRESET`). */
  readonly errorCode?: string;
  /** HTTP status, when a response was received. */
  readonly status?: number;
  /** For `rate-limited`: how long to wait before trying again. */
  readonly retryAfterMs?: number;
  readonly sourceId?: string;
  /** Path of the failing request, without query string (`/services/data/v62.0/query`). */
  readonly endpoint?: string;

  constructor(init: SalesforceErrorInit) {
    super(init.message);
    this.kind = init.kind;
    if (init.errorCode !== undefined) this.errorCode = init.errorCode;
    if (init.status !== undefined) this.status = init.status;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.sourceId !== undefined) this.sourceId = init.sourceId;
    if (init.endpoint !== undefined) this.endpoint = init.endpoint;
  }

  /** Whether trying again later can succeed without a configuration change. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'rate-limited';
  }

  /** A copy with the request context filled in where it was missing. */
  withContext(ctx: { sourceId?: string; endpoint?: string }): SalesforceError {
    if ((this.sourceId ?? !ctx.sourceId) && (this.endpoint ?? !ctx.endpoint)) return this;
    const copy = new SalesforceError({
      ...this.toJSON(),
      sourceId: this.sourceId ?? ctx.sourceId,
      endpoint: this.endpoint ?? (ctx.endpoint ? endpointPath(ctx.endpoint) : undefined),
    });
    if (this.stack) copy.stack = this.stack;
    return copy;
  }

  toJSON(): SalesforceErrorInit & { name: string } {
    return {
      name: this.name,
      kind: this.kind,
      message: this.message,
      errorCode: this.errorCode,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      sourceId: this.sourceId,
      endpoint: this.endpoint,
    };
  }
}

/** What the classifier knows about the failing call; every field is optional. */
export interface ClassifyContext {
  sourceId?: string;
  operation?: SalesforceOperation;
  /** URL or path of the request; only the path is kept. */
  endpoint?: string;
  /** HTTP status of the response, when the caller saw it (jsforce's SOAP login errors do not carry it). */
  status?: number;
  /** `Retry-After` response header, if any. */
  retryAfter?: string;
  /** The request was already retried once with a fresh session. */
  afterRefresh?: boolean;
  authType?: AuthConfig['type'];
  /** The Salesforce username (not a secret), for messages. */
  username?: string;
  loginUrl?: string;
  apiVersion?: string;
  /** For downloads: the EventLogFile id. */
  fileId?: string;
  /** The source's `retention` in days (how long the org keeps files), for "no longer exists" messages. */
  retentionDays?: number;
  /** Requests go through an HTTP proxy from the environment (see `proxy.ts`). */
  viaProxy?: boolean;
  /** Values to scrub from anything quoted (password, token, client secret, private key, access token). */
  secrets?: readonly (string | null | undefined)[];
}

/**
 * Maps anything thrown while talking to Salesforce to a {@link SalesforceError}:
 *
 * - REST errors (`errorCode` = Salesforce's code, `ERROR_HTTP_<status>` for non-JSON bodies), as the session's
 *   GET and the LogFile download build them (the shape of jsforce's `HttpApiError`),
 * - jsforce SOAP login failures (`Error(faultstring)`, e.g. `INVALID_LOGIN: Invalid username, …`),
 * - OAuth token errors (`name` = `error`, `message` = `error_description`; see `OAuthTokenError`),
 * - Node/node-fetch network errors (`ECONNRESET`, `ECONNREFUSED`, `ETIMEDOUT`, TLS failures…),
 * - HTTP statuses seen by the caller: 5xx/420/429 transient, 401 auth, 403 `REQUEST_LIMIT_EXCEEDED`
 *   rate-limited (default wait 1 h), other 403 permission, 404 on a LogFile not-found.
 *
 * An existing SalesforceError is returned as is (with missing context filled in).
 */
export function classifySalesforceError(err: unknown, context: ClassifyContext = {}): SalesforceError {
  if (err instanceof SalesforceError) return err.withContext(context);
  const facts = extractFacts(err, context);
  const built = describeFailure(facts, context);
  return new SalesforceError({
    ...built,
    message: redactSecrets(built.message, context.secrets),
    errorCode: facts.code,
    status: facts.status,
    sourceId: context.sourceId,
    endpoint: context.endpoint ? endpointPath(context.endpoint) : undefined,
  });
}
