/**
 * The per-process cache of Salesforce sessions: one {@link SalesforceSession} per org and credentials, shared by
 * every client, source and concurrent activity that uses them.
 *
 * Sessions are keyed by an HMAC (with a per-process random key) of the login URL, API version and the whole auth
 * block: two sources with the same org and credentials share a session, and a credential change (a rotated
 * secret) gets a fresh one. The key never leaves memory, and without the process key it reveals nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SalesforceConfig } from '../config/types';
import { checkSalesforceConfig } from './salesforce-config';
import { SalesforceSession, type SessionOptions } from './session';

/** Options of a {@link SessionPool}. */
export interface SessionPoolOptions extends SessionOptions {
  /** Sessions unused for this long are dropped (their keep-alive sockets closed). Default 6 h. */
  idleEvictionMs?: number;
}

/** A cache of sessions. Workers use {@link SessionPool.shared}; tests create their own. */
export class SessionPool {
  /** The worker process's pool: one session per org and credentials per process. */
  static readonly shared = new SessionPool();

  private readonly sessions = new Map<string, SalesforceSession>();
  private readonly key = randomBytes(32);

  constructor(private readonly options: SessionPoolOptions = {}) {}

  /**
   * The session for a `salesforce` block, created on first use (without logging in). `userAgent` applies when
   * the session is created; later callers share that session whatever they pass.
   *
   * @throws SalesforceError (config) when the login URL or API version is unusable.
   */
  get(config: SalesforceConfig, overrides: Pick<SessionOptions, 'userAgent'> = {}): SalesforceSession {
    const checked = checkSalesforceConfig(config);
    this.evictIdle();
    const id = this.fingerprint(checked);
    let session = this.sessions.get(id);
    if (!session) {
      session = new SalesforceSession(checked, { ...this.options, ...overrides });
      this.sessions.set(id, session);
    }
    session.lastUsedAt = Date.now();
    return session;
  }

  /** Number of live sessions (for tests and metrics). */
  get size(): number {
    return this.sessions.size;
  }

  /** Drops every session and closes their sockets. */
  clear(): void {
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
  }

  private evictIdle(): void {
    const limit = this.options.idleEvictionMs ?? 6 * 60 * 60 * 1000;
    const now = Date.now();
    for (const [id, session] of this.sessions) {
      if (now - session.lastUsedAt > limit) {
        session.dispose();
        this.sessions.delete(id);
      }
    }
  }

  private fingerprint(config: SalesforceConfig): string {
    const material = JSON.stringify([config.loginUrl, config.apiVersion, sortKeys(config.auth)]);
    return createHmac('sha256', this.key).update(material).digest('hex');
  }
}

function sortKeys(value: object): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
}
