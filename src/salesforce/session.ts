/**
 * One authenticated Salesforce session (a jsforce Connection) shared by every client and activity of the same
 * org and credentials in this worker process.
 *
 * - jsforce, through its public API, makes the SOAP login; the OAuth token request and REST calls go over
 *   node:http ({@link sendRequest}), where every response's status and headers are visible.
 * - Login is lazy and de-duplicated: concurrent callers wait for the one login in flight.
 * - A rejected session (401 `INVALID_SESSION_ID`) is refreshed once per call by re-running the configured flow (so
 *   client-credentials and JWT sessions, which have no refresh token, renew too), and the call is retried once; a
 *   second rejection is an `auth` error. Concurrent rejections share one login, and a call rejected before a newer
 *   session existed just retries with it.
 * - A login that failed permanently is remembered for a short cooldown, so a burst of activities does not hammer
 *   the login endpoint (repeated bad logins lock Salesforce users out).
 * - Every response's `Sforce-Limit-Info` feeds the session's {@link ApiUsageTracker}.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type * as Jsforce from 'jsforce';
import { ApiUsageTracker } from './api-usage';
import { chooseApiVersion, initialApiVersion, SOAP_LOGIN_LAST_VERSION, type OrgApiVersion } from './api-version';
import { createAuthStrategy, type AuthStrategy, type Login, type LoginClient } from './auth';
import { parseRestError } from './error-body';
import { classifySalesforceError, SalesforceError, type ClassifyContext, type SalesforceOperation } from './errors';
import { proxyAgent, salesforceProxyUrl } from './proxy';
import { headerValue, sendRequest, type HttpResponse } from './http-request';
import { OAuthTokenError, requestToken } from './oauth-token';
import { MIN_API_VERSION, type CheckedSalesforceConfig } from './salesforce-config';

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
  /** The source's `retention` in days, for messages about files that no longer exist. */
  retentionDays?: number;
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
  /** Retries of GETs on 420/429/5xx and network errors, before a transient error surfaces. Default 2. */
  maxRetries?: number;
  /** First retry delay in ms (doubles each time). Default 500. */
  retryDelayMs?: number;
}

/** One session; obtain it through {@link SessionPool} rather than constructing it. */
export class SalesforceSession {
  readonly usage = new ApiUsageTracker();
  readonly strategy: AuthStrategy;
  /** Epoch ms of the last use, for the pool's eviction. */
  lastUsedAt = Date.now();
  /** Set once an hourly EventLogFile has been seen in this org (see `SalesforceClient.login`). */
  hourlySeen = false;

  /** The current session's token and instance, once logged in. */
  private session?: { accessToken: string; instanceUrl: string };
  private readonly loginClient: LoginClient;
  /** `Sforce-Call-Options` of REST calls, naming the client. */
  private readonly callOptions: string | undefined;
  private readonly opts: Required<Omit<SessionOptions, 'userAgent'>> & { userAgent?: string };
  private identity?: SessionIdentity;
  /** The API version in use: the configured one, or for `auto` the one chosen after the first login. */
  private version: string;
  private versionChosen = false;
  private loginInFlight?: Promise<SessionIdentity>;
  /** Epoch ms when the current session was obtained. */
  private loggedInAt = 0;
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
    this.version = initialApiVersion(config.apiVersion, this.strategy.type === 'password');
    const client = options.userAgent?.replace(/[^\w./@-]+/g, '_');
    this.callOptions = client ? `client=${client}` : undefined;
    this.loginClient = {
      soapLogin: async (username, password) => {
        // Loaded on the first SOAP login only: jsforce adds about 40 MB to a process, and OAuth never needs it.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { Connection } = require('jsforce') as typeof Jsforce;
        const conn = new Connection({
          loginUrl: config.loginUrl,
          version: this.version,
          // jsforce's DEBUG log prints SOAP login responses, session id included: never let JSFORCE_LOG_LEVEL on it.
          logLevel: 'NONE',
        });
        const info = await conn.loginBySoap(username, password);
        return {
          orgId: info.organizationId,
          userId: info.id,
          username,
          accessToken: conn.accessToken ?? '',
          instanceUrl: conn.instanceUrl,
        };
      },
      requestToken: (params) =>
        requestToken(config.loginUrl, params, {
          agent: this.agentFor(new URL(config.loginUrl).protocol),
          timeoutMs: this.opts.requestTimeoutMs,
        }),
    };
  }

  /** The API version requests use (for `auto`, final once the session has logged in). */
  get apiVersion(): string {
    return this.version;
  }

  get instanceUrl(): string {
    return this.session?.instanceUrl ?? this.config.loginUrl;
  }

  /** Retries of transient failures before they surface, shared by REST calls and downloads. */
  get retryPolicy(): { maxRetries: number; retryDelayMs: number } {
    return { maxRetries: this.opts.maxRetries, retryDelayMs: this.opts.retryDelayMs };
  }

  /** The session's bearer token, for the LogFile download only (never log or return it). */
  accessToken(): string | undefined {
    return this.session?.accessToken;
  }

  /** The identity of the current session, logging in first when there is none. */
  async ensureLoggedIn(call: CallContext): Promise<SessionIdentity> {
    this.lastUsedAt = Date.now();
    if (this.identity && this.session) return this.identity;
    return this.authenticate(call);
  }

  /**
   * GET a REST resource (path relative to the instance, or a `nextRecordsUrl`) as JSON, with login, one refresh
   * on a rejected session, bounded retries of transient failures and classification of errors.
   *
   * @throws SalesforceError
   */
  async get<T>(
    url: string,
    call: CallContext & { operation: SalesforceOperation; headers?: Record<string, string> },
  ): Promise<T> {
    const ctx = { sourceId: call.sourceId, operation: call.operation, endpoint: url.split('?')[0] };
    let refreshed = false;
    let attempt = 0;
    for (;;) {
      await this.ensureLoggedIn(call);
      const target = new URL(url, this.instanceUrl);
      const sentAt = Date.now();
      let res: HttpResponse;
      try {
        res = await sendRequest(target, {
          agent: this.agentFor(target.protocol),
          timeoutMs: this.opts.requestTimeoutMs,
          headers: {
            Authorization: `Bearer ${this.accessToken() ?? ''}`,
            Accept: 'application/json',
            ...(this.callOptions ? { 'Sforce-Call-Options': this.callOptions } : {}),
            ...call.headers,
          },
        });
      } catch (err) {
        const error = this.classify(err, { ...ctx, afterRefresh: refreshed });
        if (error.kind === 'transient' && attempt < this.opts.maxRetries) {
          await delay(this.opts.retryDelayMs * 2 ** attempt++);
          continue;
        }
        throw error;
      }
      this.usage.observe(headerValue(res.headers, 'sforce-limit-info'));
      if (res.status >= 200 && res.status < 300) {
        try {
          return (res.body === '' ? undefined : JSON.parse(res.body)) as T;
        } catch {
          throw this.classify(new Error(`the response to ${ctx.endpoint} is not JSON`), { ...ctx, status: res.status });
        }
      }
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        call.logger?.info('Salesforce session expired; logging in again', { sourceId: call.sourceId });
        await this.refreshAfterRejection(sentAt, call);
        continue;
      }
      const rest = parseRestError(res.body);
      const error = this.classify(
        Object.assign(new Error(rest.message ?? `HTTP ${res.status}`), {
          errorCode: rest.errorCode ?? `ERROR_HTTP_${res.status}`,
        }),
        { ...ctx, status: res.status, retryAfter: headerValue(res.headers, 'retry-after'), afterRefresh: refreshed },
      );
      // Like jsforce's retries of GETs: 420/429/5xx and network failures.
      const retryable = res.status === 420 || res.status === 429 || res.status >= 500;
      if (retryable && error.kind === 'transient' && attempt < this.opts.maxRetries) {
        await delay(this.opts.retryDelayMs * 2 ** attempt++);
        continue;
      }
      throw error;
    }
  }

  /**
   * After our own HTTP client saw a 401: refresh the session unless another caller already did since `since`
   * (epoch ms when the rejected request was sent).
   *
   * @throws SalesforceError when logging in again fails.
   */
  async refreshAfterRejection(since: number, call: CallContext): Promise<void> {
    // A login in flight, or one completed after the rejected request was sent: its session is the fresh one.
    if (this.loginInFlight === undefined && this.loggedInAt > since) return;
    try {
      await this.authenticate(call);
    } catch (err) {
      throw err instanceof SalesforceError ? err : this.classify(err, { sourceId: call.sourceId, operation: 'login' });
    }
  }

  /** Drops what {@link memo} keeps under `key`, so the next call asks again. */
  forget(key: string): void {
    this.memos.delete(key);
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
      apiVersion: this.version,
      viaProxy: salesforceProxyUrl() !== undefined,
      ...ctx,
      secrets: [...this.strategy.secrets, this.session?.accessToken, ...(ctx.secrets ?? [])],
    });
  }

  /** Releases sockets (idle keep-alive connections). The session stays usable. */
  dispose(): void {
    this.agents.http?.destroy();
    this.agents.https?.destroy();
    this.agents.proxy?.agent.destroy();
    this.agents = {};
  }

  /**
   * `apiVersion: auto`: the highest version both the org serves (`GET /services/data`, listed without a session)
   * and elfstream is tested with; at most 64.0 for SOAP login. Said once per session when password auth caps it.
   *
   * @throws SalesforceError (config) when the org serves no version elfstream supports.
   */
  private async chooseVersion(call: CallContext): Promise<void> {
    const soapLogin = this.strategy.type === 'password';
    const target = new URL('/services/data', this.instanceUrl);
    const res = await sendRequest(target, {
      agent: this.agentFor(target.protocol),
      timeoutMs: this.opts.requestTimeoutMs,
      headers: { Accept: 'application/json' },
    });
    let listed: unknown;
    try {
      listed = res.status === 200 ? JSON.parse(res.body) : undefined;
    } catch {
      listed = undefined;
    }
    const versions = Array.isArray(listed) ? (listed as OrgApiVersion[]) : [];
    const chosen = chooseApiVersion(versions, { soapLogin, min: MIN_API_VERSION });
    if (chosen === undefined) {
      throw new SalesforceError({
        kind: res.status >= 500 ? 'transient' : 'config',
        message:
          `The org lists no API version elfstream supports at ${target.origin}/services/data (HTTP ${res.status}; ` +
          `${MIN_API_VERSION}.0 or later${soapLogin ? ', at most 64.0 for password auth' : ''}): check ` +
          'salesforce.loginUrl, or set salesforce.apiVersion.',
      });
    }
    this.version = chosen;
    if (this.versionChosen) return;
    this.versionChosen = true;
    call.logger?.info(`Using Salesforce API version ${chosen} (apiVersion: auto)`, { sourceId: call.sourceId });
    if (soapLogin) {
      call.logger?.warn(
        `Password (SOAP login()) auth uses at most API version ${SOAP_LOGIN_LAST_VERSION}.0, the last that serves ` +
          'login(): switch salesforce.auth.type to client-credentials or jwt for newer versions.',
        { sourceId: call.sourceId },
      );
    }
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
    try {
      const { accessToken, instanceUrl, ...who }: Login = await this.strategy.authenticate(this.loginClient);
      this.session = { accessToken, instanceUrl };
      if (this.config.apiVersion === 'auto') await this.chooseVersion(call);
      const identity: SessionIdentity = { ...who, instanceUrl };
      this.identity = identity;
      this.loggedInAt = Date.now();
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
        ...(err instanceof OAuthTokenError ? { status: err.status, retryAfter: err.retryAfter } : {}),
      });
      if (!error.retryable) this.lastFailure = { error, at: Date.now() };
      throw error.withContext({ sourceId: call.sourceId });
    }
  }
}
