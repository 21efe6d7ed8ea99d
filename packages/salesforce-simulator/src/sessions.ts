/** Sessions (access tokens) of the simulated org. */
import { randomBytes } from 'node:crypto';
import type { SimClock } from './clock';

interface Session {
  lastUsedMs: number;
}

/** Issued sessions; ids look like Salesforce's (`00D…!AQ…`). */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly orgId15: string,
    private readonly clock: SimClock,
    private readonly idleTimeoutMs?: number,
  ) {}

  /** A new session id. */
  create(): string {
    const token = `${this.orgId15}!AQ${randomBytes(72).toString('base64').replace(/[+/=]/g, '')}`;
    this.sessions.set(token, { lastUsedMs: this.clock.now() });
    return token;
  }

  /** Whether a token is a live session; using it resets its idle timer. */
  touch(token: string): boolean {
    const s = this.sessions.get(token);
    if (!s) return false;
    const now = this.clock.now();
    if (this.idleTimeoutMs !== undefined && now - s.lastUsedMs > this.idleTimeoutMs) {
      this.sessions.delete(token);
      return false;
    }
    s.lastUsedMs = Math.max(s.lastUsedMs, now);
    return true;
  }

  revoke(token: string): void {
    this.sessions.delete(token);
  }

  /** Every session becomes invalid (the `expire-sessions` fault). */
  revokeAll(): void {
    this.sessions.clear();
  }
}

/** The token of an `Authorization: Bearer …` (or `OAuth …`) header. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1];
}
