/**
 * Scripted failures. Each injected fault waits for the requests it matches and is used up by them:
 * - `http-error`: the next `count` requests under `/services` whose path contains `pathContains` get `status`
 *   with Salesforce's body for it (REST JSON, SOAP fault or OAuth error).
 * - `reset-blob`: the next `count` (default 1) LogFile downloads, of `fileId` or any file, send `afterBytes`
 *   body bytes (as on the wire: compressed bytes under gzip) and then reset the TCP connection.
 * - `slow-blob`: the next `count` (default 1) downloads are throttled to `bytesPerSecond`.
 * - `expire-sessions`: after `afterRequests` more authenticated REST requests, every session is revoked, so the
 *   next request gets 401 INVALID_SESSION_ID; a new login works.
 * - `delete-on-download`: the file is deleted when its blob is requested, which answers 404.
 * - `replace-blob`: the next `count` (default 1) downloads answer 200 with another body (a maintenance page, binary).
 * - `truncate-blob`: the next `count` (default 1) downloads end normally after `afterBytes` wire bytes.
 */
import type { BlobFaults } from './blob';
import type { SimFault } from './types';

type Counted<T> = T & { remaining: number };

/** The pending faults of a simulator. */
export class FaultBox {
  private httpErrors: Counted<Extract<SimFault, { kind: 'http-error' }>>[] = [];
  private resets: Counted<Extract<SimFault, { kind: 'reset-blob' }>>[] = [];
  private slows: Counted<Extract<SimFault, { kind: 'slow-blob' }>>[] = [];
  private expireAfter: number | undefined;
  private deleteOnDownload = new Set<string>();
  private replaces: Counted<Extract<SimFault, { kind: 'replace-blob' }>>[] = [];
  private truncates: Counted<Extract<SimFault, { kind: 'truncate-blob' }>>[] = [];

  /** Adds a fault; throws on values that make no sense. */
  inject(fault: SimFault): void {
    const positive = (n: number, what: string) => {
      if (!Number.isInteger(n) || n < 0) throw new Error(`${what} must be a whole number >= 0`);
    };
    switch (fault.kind) {
      case 'http-error':
        if (![500, 502, 503].includes(fault.status)) throw new Error('status must be 500, 502 or 503');
        positive(fault.count, 'count');
        this.httpErrors.push({ ...fault, remaining: fault.count });
        return;
      case 'reset-blob':
        positive(fault.afterBytes, 'afterBytes');
        this.resets.push({ ...fault, remaining: fault.count ?? 1 });
        return;
      case 'slow-blob':
        if (!(fault.bytesPerSecond > 0)) throw new Error('bytesPerSecond must be > 0');
        this.slows.push({ ...fault, remaining: fault.count ?? 1 });
        return;
      case 'expire-sessions':
        positive(fault.afterRequests, 'afterRequests');
        this.expireAfter = fault.afterRequests;
        return;
      case 'delete-on-download':
        this.deleteOnDownload.add(fault.fileId);
        return;
      case 'replace-blob':
        this.replaces.push({ ...fault, remaining: fault.count ?? 1 });
        return;
      case 'truncate-blob':
        positive(fault.afterBytes, 'afterBytes');
        this.truncates.push({ ...fault, remaining: fault.count ?? 1 });
        return;
      default:
        throw new Error(`unknown fault kind ${(fault as { kind?: unknown }).kind as string}`);
    }
  }

  clear(): void {
    this.httpErrors = [];
    this.resets = [];
    this.slows = [];
    this.expireAfter = undefined;
    this.deleteOnDownload.clear();
    this.replaces = [];
    this.truncates = [];
  }

  /** The status to fail this `/services` request with, if an `http-error` fault matches it. */
  takeHttpError(path: string): 500 | 502 | 503 | undefined {
    const fault = this.httpErrors.find((f) => f.remaining > 0 && (!f.pathContains || path.includes(f.pathContains)));
    if (!fault) return undefined;
    fault.remaining--;
    this.httpErrors = this.httpErrors.filter((f) => f.remaining > 0);
    return fault.status;
  }

  /** Counts an authenticated REST request; true when sessions must expire before serving it. */
  sessionsExpireNow(): boolean {
    if (this.expireAfter === undefined) return false;
    if (this.expireAfter > 0) {
      this.expireAfter--;
      return false;
    }
    this.expireAfter = undefined;
    return true;
  }

  /** Whether downloading this file deletes it (consumes the fault). */
  takeDeleteOnDownload(fileId: string): boolean {
    return this.deleteOnDownload.delete(fileId);
  }

  /** Reset and throttle to apply to this download, if any (consumes one use of each). */
  takeBlobFaults(fileId: string): BlobFaults {
    const out: BlobFaults = {};
    const matches = (f: { remaining: number; fileId?: string }) =>
      f.remaining > 0 && (!f.fileId || f.fileId === fileId);
    const reset = this.resets.find(matches);
    if (reset) {
      reset.remaining--;
      out.resetAfterBytes = reset.afterBytes;
      this.resets = this.resets.filter((f) => f.remaining > 0);
    }
    const slow = this.slows.find(matches);
    if (slow) {
      slow.remaining--;
      out.bytesPerSecond = slow.bytesPerSecond;
      this.slows = this.slows.filter((f) => f.remaining > 0);
    }
    const replace = this.replaces.find(matches);
    if (replace) {
      replace.remaining--;
      out.replaceBody = { body: Buffer.from(replace.body, 'base64'), contentType: replace.contentType ?? 'text/html' };
      this.replaces = this.replaces.filter((f) => f.remaining > 0);
    }
    const truncate = this.truncates.find(matches);
    if (truncate) {
      truncate.remaining--;
      out.endAfterBytes = truncate.afterBytes;
      this.truncates = this.truncates.filter((f) => f.remaining > 0);
    }
    return out;
  }
}
