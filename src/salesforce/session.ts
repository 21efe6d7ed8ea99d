/**
 * One authenticated Salesforce session (a jsforce Connection) shared by every client and activity of the same
 * org and credentials in this worker process.
 *
 * - Login is lazy and de-duplicated: concurrent callers wait for the one login in flight.
 * - A rejected session (401 `INVALID_SESSION_ID`) is refreshed once per call, through jsforce's refresh delegate
 *   (which de-duplicates concurrent refreshes and skips one when a newer session already exists), and the call is
 *   retried once; a second rejection is an `auth` error. Our `refreshFn` re-runs the configured flow, so
 *   client-credentials and JWT sessions (which have no refresh token) renew too.
 * - A login that failed permanently is remembered for a short cooldown, so a burst of activities does not hammer
 *   the login endpoint (repeated bad logins lock Salesforce users out).
 * - Every response's `Sforce-Limit-Info` feeds the session's {@link ApiUsageTracker}.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import https from 'node:https';
import { Connection } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import { ApiUsageTracker } from './api-usage';
import { createAuthStrategy, type AuthStrategy } from './auth';
import {
  classifySalesforceError,
  type ClassifyContext,
  type SalesforceError,
  type SalesforceOperation,
} from './errors';
import { proxyAgent, salesforceProxyUrl } from './proxy';
import type { CheckedSalesforceConfig } from './salesforce-config';

/** The logging surface the client uses; Temporal's activity logger (`Context.current().log`) fits it. */
export interface SalesforceLogger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** Who is calling: used for error context and log lines (one session can serve several sources). */
export interface CallContext {
  sourceId?: string;
  logger?: SalesforceLogger;
}

/** The org and user behind a session. Never holds a secret. */
export interface SessionIdentity {
  orgId: string;
  userId: string;
  username?: string;
  instanceUrl: string;
  /** The identity service URL of the user, when the flow returned one. */
  identityUrl?: string;
}

/** Tunables of a session; the defaults suit production. */
export interface SessionOptions {
  /** Sent as `Sforce-Call-Options: client=…` on REST calls and as User-Agent on downloads. */
  userAgent?: string;
  /** How long a permanently failed login is answered from memory. Default 60 s. */
  authFailureCooldownMs?: number;
  /** Whole-request timeout of REST calls (query, describe). Default 120 s. */
  requestTimeoutMs?: number;
  /** jsforce's own retries of GETs on 420/429/5xx and network errors, before a transient error surfaces. Default 2. */
  maxRetries?: number;
  /** First retry delay in ms (doubles each time). Default 500. */
  retryDelayMs?: number;
}

interface CallScope {
  ctx: CallContext;
  refreshes: number;
  authFailure?: SalesforceError;
  response?: { status: number; headers: Record<string, string> };
}

/** Per-call state visible to the refresh function, which jsforce calls from inside the failing request. */
const callScopes = new AsyncLocalStorage<CallScope>();

type Transport = Connection['_transport'];

/** One session; obtain it through {@link SessionPool} rather than constructing it. */
export class SalesforceSession {
  readonly usage = new ApiUsageTracker();
  readonly strategy: AuthStrategy;
  /** Epoch ms of the last use, for the pool's eviction. */
  lastUsedAt = Date.now();
  /** Set once an hourly EventLogFile has been seen in this org (see `SalesforceClient.login`). */
  hourlySeen = false;

  private readonly conn: Connection;
  private readonly opts: Required<Omit<SessionOptions, 'userAgent'>> & { userAgent?: string };
  private identity?: SessionIdentity;
  private loginInFlight?: Promise<SessionIdentity>;
  private lastFailure?: { error: SalesforceError; at: number };
  private readonly memos = new Map<string, { at: number; value: Promise<unknown> }>();
  private agents: { http?: http.Agent; https?: https.Agent; proxy?: { url: string; agent: http.Agent } } = {};

  constructor(
    readonly config: CheckedSalesforceConfig,
    options: SessionOptions = {},
  ) {
    this.opts = {
      authFailureCooldownMs: options.authFailureCooldownMs ?? 60_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
      maxRetries: options.maxRetries ?? 2,
      retryDelayMs: options.retryDelayMs ?? 500,
      userAgent: options.userAgent,
    };
    this.strategy = createAuthStrategy(config);
    const client = options.userAgent?.replace(/[^\w./@-]+/g, '_');
    this.conn = new Connection({
      loginUrl: config.loginUrl,
      version: config.apiVersion,
      oauth2: this.strategy.oauth2,
      refreshFn: (_conn, callback) => this.refreshFromJsforce(callback),
      // jsforce's DEBUG log prints SOAP login responses, session id included: never let JSFORCE_LOG_LEVEL enable it.
      logLevel: 'NONE',
      ...(client ? { callOptions: { client } } : {}),
    });
    // Observe every response (REST, SOAP login, token endpoint): jsforce's errors do not carry the HTTP status,
    // and every REST response carries Sforce-Limit-Info.
    this.conn._transport = this.observing(this.conn._transport);
    this.conn.oauth2._transport = this.observing(this.conn.oauth2._transport);
  }

  get apiVersion(): string {
    return this.config.apiVersion;
  }

  get instanceUrl(): string {
    return this.conn.instanceUrl;
  }

  /** Retries of transient failures before they surface, shared by REST calls and downloads. */
  get retryPolicy(): { maxRetries: number; retryDelayMs: number } {
    return { maxRetries: this.opts.maxRetries, retryDelayMs: this.opts.retryDelayMs };
  }

  /** The session's bearer token, for the LogFile download only (never log or return it). */
  accessToken(): string | undefined {
    return this.conn.accessToken ?? undefined;
  }

  /** The identity of the current session, logging in first when there is none. */
  async ensureLoggedIn(call: CallContext): Promise<SessionIdentity> {
    this.lastUsedAt = Date.now();
    if (this.identity && this.conn.accessToken) return this.identity;
    return this.authenticate(call);
  }

  /**
   * GET a REST resource (path relative to the instance, or a `nextRecordsUrl`) as JSON, with login, one refresh
   * on a rejected session, bounded retries of transient failures and classification of errors.
   *
   * @throws SalesforceError
   */
  async get<T>(url: string, call: CallContext & { operation: SalesforceOperation; headers?: Record<string, string> }) {
    await this.ensureLoggedIn(call);
    const scope: CallScope = { ctx: call, refreshes: 0 };
    const request: HttpRequest = { method: 'GET', url, headers: { ...call.headers } };
    const options: HttpRequestOptions = {
      retry: { maxRetries: this.opts.maxRetries, minTimeout: this.opts.retryDelayMs },
      timeout: this.opts.requestTimeoutMs,
    };
    try {
      return await callScopes.run(scope, () => this.conn.request<T>(request, options));
    } catch (err) {
      throw (
        scope.authFailure ??
        this.classify(err, {
          sourceId: call.sourceId,
          operation: call.operation,
          endpoint: url,
          status: scope.response?.status,
          retryAfter: scope.response?.headers['retry-after'],
          afterRefresh: scope.refreshes > 0,
        })
      );
    }
  }

  /**
   * After our own HTTP client saw a 401: refresh the session unless another caller already did since `since`
   * (epoch ms when the rejected request was sent).
   *
   * @throws SalesforceError when logging in again fails.
   */
  async refreshAfterRejection(since: number, call: CallContext): Promise<void> {
    const scope: CallScope = { ctx: call, refreshes: 0 };
    const delegate = this.conn._refreshDelegate;
    try {
      await callScopes.run(scope, () => (delegate ? delegate.refresh(since) : this.authenticate(call)));
    } catch (err) {
      throw scope.authFailure ?? this.classify(err, { sourceId: call.sourceId, operation: 'login' });
    }
  }

  /**
   * Caches `fn()` per session for `ttlMs` (concurrent callers share one in-flight promise; failures are not kept).
   */
  memo<T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> {
    const hit = this.memos.get(key);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = fn();
    const entry = { at: Date.now(), value };
    this.memos.set(key, entry);
    value.catch(() => {
      if (this.memos.get(key) === entry) this.memos.delete(key);
    });
    return value;
  }

  /**
   * The agent for downloads from the instance: through the proxy jsforce uses, if any; otherwise a keep-alive
   * agent per protocol, shared by concurrent downloads.
   */
  agentFor(protocol: string): http.Agent {
    const proxy = salesforceProxyUrl();
    if (proxy !== undefined) {
      if (this.agents.proxy?.url !== proxy) this.agents.proxy = { url: proxy, agent: proxyAgent(proxy) };
      return this.agents.proxy.agent;
    }
    if (protocol === 'https:') {
      this.agents.https ??= new https.Agent({ keepAlive: true, maxSockets: 32, scheduling: 'lifo' });
      return this.agents.https;
    }
    this.agents.http ??= new http.Agent({ keepAlive: true, maxSockets: 32, scheduling: 'lifo' });
    return this.agents.http;
  }

  /** Classifies an error with everything the session knows (flow, username, secrets to scrub). */
  classify(err: unknown, ctx: ClassifyContext): SalesforceError {
    return classifySalesforceError(err, {
      authType: this.strategy.type,
      username: this.strategy.username ?? this.identity?.username,
      loginUrl: this.config.loginUrl,
      apiVersion: this.config.apiVersion,
      viaProxy: salesforceProxyUrl() !== undefined,
      ...ctx,
      secrets: [...this.strategy.secrets, this.conn.accessToken, ...(ctx.secrets ?? [])],
    });
  }

  /** Releases sockets (idle keep-alive connections). The session stays usable. */
  dispose(): void {
    this.agents.http?.destroy();
    this.agents.https?.destroy();
    this.agents.proxy?.agent.destroy();
    this.agents = {};
  }

  private authenticate(call: CallContext): Promise<SessionIdentity> {
    if (this.loginInFlight) return this.loginInFlight;
    const failure = this.lastFailure;
    if (failure && Date.now() - failure.at < this.opts.authFailureCooldownMs) {
      return Promise.reject(failure.error.withContext({ sourceId: call.sourceId }));
    }
    const attempt = this.runLogin(call);
    this.loginInFlight = attempt;
    const clear = (): void => {
      if (this.loginInFlight === attempt) this.loginInFlight = undefined;
    };
    attempt.then(clear, clear);
    return attempt;
  }

  private async runLogin(call: CallContext): Promise<SessionIdentity> {
    const endpoint =
      this.strategy.type === 'password' ? `/services/Soap/u/${this.apiVersion}` : '/services/oauth2/token';
    const scope: CallScope = { ctx: call, refreshes: 0 };
    try {
      const result = await callScopes.run(scope, () => this.strategy.authenticate(this.conn));
      const identity: SessionIdentity = { ...result, instanceUrl: this.conn.instanceUrl };
      this.identity = identity;
      this.lastFailure = undefined;
      call.logger?.info('Logged in to Salesforce', {
        sourceId: call.sourceId,
        authType: this.strategy.type,
        orgId: identity.orgId,
        userId: identity.userId,
        username: identity.username,
        instanceUrl: identity.instanceUrl,
        apiVersion: this.apiVersion,
      });
      if (this.strategy.type === 'password') {
        call.logger?.warn(
          "This source logs in with SOAP login(), which Salesforce retires in Summer '27 (and does not serve from " +
            'API 65.0): switch salesforce.auth.type to client-credentials or jwt.',
          { sourceId: call.sourceId },
        );
      }
      return identity;
    } catch (err) {
      const error = this.classify(err, {
        operation: 'login',
        endpoint,
        status: scope.response?.status,
        retryAfter: scope.response?.headers['retry-after'],
      });
      if (!error.retryable) this.lastFailure = { error, at: Date.now() };
      throw error.withContext({ sourceId: call.sourceId });
    }
  }

  /**
   * jsforce's refresh hook, called from inside a request that got 401. Refreshes at most once per call: the
   * second 401 of the same call means the fresh session is rejected too, which no further login can fix.
   */
  private refreshFromJsforce(callback: (err: Error | null | undefined, accessToken?: string) => void): void {
    const scope = callScopes.getStore();
    if (scope && scope.refreshes >= 1) {
      scope.authFailure ??= this.classify(
        { errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' },
        { sourceId: scope.ctx.sourceId, status: 401, afterRefresh: true },
      );
      callback(scope.authFailure);
      return;
    }
    if (scope) scope.refreshes += 1;
    const call = scope?.ctx ?? {};
    call.logger?.info('Salesforce session expired; logging in again', { sourceId: call.sourceId });
    this.authenticate(call).then(
      () => callback(null, this.conn.accessToken ?? undefined),
      (err: unknown) => {
        const error = this.classify(err, { sourceId: call.sourceId, operation: 'login' });
        if (scope) scope.authFailure = error;
        callback(error);
      },
    );
  }

  /**
   * Wraps a jsforce transport so that each response's status and headers reach the current call's scope and the
   * API usage tracker.
   */
  private observing(inner: Transport): Transport {
    const observe = (res: HttpResponse): void => {
      const scope = callScopes.getStore();
      if (scope) scope.response = { status: res.statusCode, headers: res.headers };
      this.usage.observe(res.headers['sforce-limit-info']);
    };
    const wrapper = {
      httpRequest(req: HttpRequest, options?: HttpRequestOptions) {
        const pending = inner.httpRequest(req, options);
        pending.then(observe, () => undefined);
        return pending;
      },
    };
    return wrapper as unknown as Transport;
  }
}
