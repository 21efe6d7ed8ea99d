import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { describeUrl, isRetryableStatus, redactor, retryAfterMs, truncate } from './http-util';
import { hecEvent } from './splunk-hec';
import type { ChunkReceipt, ChunkWriter, FileSummary, LogFileRef, LogSink } from './types';

/**
 * The http sink: events POSTed in batches to a collector, as NDJSON (`application/x-ndjson`) or in the Splunk HTTP
 * Event Collector shape (one `{"time", "source", "sourcetype", "event"}` object per line).
 *
 * A chunk is committed when every batch of it has been acknowledged (2xx). Failures are classified: 408, 429, 5xx
 * and network errors are retried with exponential backoff (honouring `Retry-After`); any other status fails
 * permanently with the status and the start of the response body in the message. Each batch carries an
 * `Idempotency-Key` derived from (org, file, chunk, batch index) — batches are cut deterministically — so a receiver
 * can drop a batch it already has when a chunk is resent after a retry.
 *
 * The Authorization value is a secret: it is sent, never logged, and scrubbed from error messages (a server may
 * echo request headers in its error body).
 */
export interface HttpSinkOptions {
  url: string;
  format: 'ndjson' | 'splunk-hec';
  /** Authorization header value ("Splunk <token>", "Bearer <token>"). */
  authorization?: string;
  gzip: boolean;
  /** Events per request. */
  batchSize: number;
  /** Uncompressed body size at which a batch is sent even if it has fewer events. Default 4 MiB. */
  maxBatchBytes?: number;
  headers?: Record<string, string>;
  /** Splunk HEC `host` field. */
  host?: string;
  /** Attempts per batch before the chunk fails (retryably). Default 8. */
  maxAttempts?: number;
  /** First backoff delay; doubles per attempt, with jitter. Default 500 ms. */
  initialBackoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  /** Longest `Retry-After` honoured. Default 5 min. */
  maxRetryAfterMs?: number;
  /** Per request. Default 60 s. */
  requestTimeoutMs?: number;
  /** Batches of one chunk in flight at once. Default 2. */
  concurrency?: number;
  /** Request authentication other than a fixed Authorization value (see {@link HttpAuth}). */
  auth?: HttpAuth;
  /**
   * Largest request, body and headers together, in bytes. A batch whose request would exceed it is split before it
   * is sent. Default none; the `panther` preset sets Panther's limit.
   */
  maxRequestBytes?: number;
}

/**
 * The authentication modes of Panther's HTTP log source
 * (https://docs.panther.com/data-onboarding/data-transports/http#authentication): a shared secret in a header of the
 * receiver's choosing; an HMAC of the request body (as sent, i.e. compressed when gzip is on) with the secret,
 * hex- (default) or base64-encoded, in a header of its choosing; a bearer token; basic auth.
 */
export type HttpAuth =
  | { type: 'shared-secret'; header: string; secret: string }
  | {
      type: 'hmac';
      header: string;
      secret: string;
      algorithm: 'sha256' | 'sha512' | 'sha1';
      /** Default hex. */
      encoding?: 'hex' | 'base64';
    }
  | { type: 'bearer'; secret: string }
  | { type: 'basic'; username: string; secret: string };

/**
 * Panther's HTTP source: NDJSON ("Lines"), at most 1 MB per request, headers included
 * (https://docs.panther.com/data-onboarding/data-transports/http#payload-requirements). The batch limit leaves room
 * for the headers; `maxRequestBytes` is the hard check.
 */
export const PANTHER_PRESET = { format: 'ndjson', maxRequestBytes: 1_000_000, maxBatchBytes: 900_000 } as const;

/** A batch could not be delivered. `retryable` tells the activity layer whether a later attempt may succeed. */
export class HttpSinkError extends Error {
  override readonly name = 'HttpSinkError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
  ) {
    super(message);
  }
}

export { retryAfterMs } from './http-util';

const gzipAsync = promisify(zlib.gzip);
const ERROR_BODY_CHARS = 1024;

type ResolvedOptions = Required<Omit<HttpSinkOptions, 'authorization' | 'host' | 'auth' | 'maxRequestBytes'>> &
  Pick<HttpSinkOptions, 'authorization' | 'host' | 'auth' | 'maxRequestBytes'>;

// Header names whose values are treated as secrets, like Authorization.
const SECRET_HEADER = /auth|token|key|secret|cookie|password/i;

export class HttpSink implements LogSink {
  readonly kind = 'http' as const;
  private readonly options: ResolvedOptions;
  private readonly safeUrl: string;
  private readonly redact: (text: string) => string;

  constructor(options: HttpSinkOptions) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError('http sink: batchSize must be a positive integer');
    }
    this.options = {
      maxBatchBytes: 4 * 1024 * 1024,
      headers: {},
      maxAttempts: 8,
      initialBackoffMs: 500,
      maxBackoffMs: 30_000,
      maxRetryAfterMs: 300_000,
      requestTimeoutMs: 60_000,
      concurrency: 2,
      ...options,
    };
    this.safeUrl = describeUrl(options.url);
    const secretHeaders = Object.entries(options.headers ?? {}).filter(([name]) => SECRET_HEADER.test(name));
    this.redact = redactor([options.authorization, options.auth?.secret, ...secretHeaders.map(([, value]) => value)]);
  }

  async openChunk(file: LogFileRef, chunk: number): Promise<ChunkWriter> {
    return new HttpChunkWriter(this, file, chunk);
  }

  async completeFile(_file: LogFileRef, _summary: FileSummary): Promise<void> {}

  describe(): string {
    return `http POST ${this.safeUrl} (${this.options.format}${this.options.gzip ? ', gzip' : ''})`;
  }

  async close(): Promise<void> {}

  /** @internal Settings shared by the chunk writers. */
  get settings(): ResolvedOptions {
    return this.options;
  }

  /** @internal POSTs one batch until it is acknowledged, retrying what may succeed later. */
  async deliver(body: string, idempotencyKey: string, signal: AbortSignal): Promise<void> {
    const o = this.options;
    const payload = o.gzip ? await gzipAsync(Buffer.from(body, 'utf8')) : Buffer.from(body, 'utf8');
    const headers: Record<string, string> = {
      ...o.headers,
      'Content-Type': o.format === 'splunk-hec' ? 'application/json' : 'application/x-ndjson',
      'Idempotency-Key': idempotencyKey,
      ...(o.gzip ? { 'Content-Encoding': 'gzip' } : {}),
      ...(o.authorization !== undefined ? { Authorization: o.authorization } : {}),
      ...(o.auth !== undefined ? authHeaders(o.auth, payload) : {}),
    };
    if (o.maxRequestBytes !== undefined) {
      const size = requestSize(this.options.url, headers, payload.length);
      if (size > o.maxRequestBytes) {
        // One event larger than the limit cannot be delivered by any retry.
        throw new HttpSinkError(
          `http sink: a request to ${this.safeUrl} would be ${size} bytes, over the limit of ${o.maxRequestBytes} ` +
            '(body and headers); lower batchSize, or turn gzip on',
          false,
        );
      }
    }
    let lastError = '';
    for (let attempt = 1; attempt <= o.maxAttempts; attempt++) {
      signal.throwIfAborted();
      let delay: number;
      try {
        const res = await fetch(o.url, {
          method: 'POST',
          headers,
          body: payload,
          signal: AbortSignal.any([signal, AbortSignal.timeout(o.requestTimeoutMs)]),
        });
        if (res.ok) {
          await res.arrayBuffer(); // read to the end so the connection can be reused
          return;
        }
        const text = this.redact(truncate(await res.text().catch(() => ''), ERROR_BODY_CHARS));
        lastError = `${res.status} ${res.statusText}${text ? `: ${text}` : ''}`;
        if (!isRetryableStatus(res.status)) {
          throw new HttpSinkError(`http sink: POST ${this.safeUrl} failed with ${lastError}`, false, res.status);
        }
        delay = retryAfterMs(res.headers.get('retry-after'), o.maxRetryAfterMs) ?? this.backoff(attempt);
      } catch (err) {
        if (err instanceof HttpSinkError || signal.aborted) throw err;
        // Network error or timeout: fetch's message is generic, the cause names it (ECONNREFUSED, …).
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        lastError = this.redact(cause?.code ?? cause?.message ?? (err as Error).message);
        delay = this.backoff(attempt);
      }
      if (attempt < o.maxAttempts) await sleep(delay, undefined, { signal });
    }
    throw new HttpSinkError(
      `http sink: POST ${this.safeUrl} failed after ${o.maxAttempts} attempts, last: ${lastError}`,
      true,
    );
  }

  private backoff(attempt: number): number {
    const o = this.options;
    const base = Math.min(o.maxBackoffMs, o.initialBackoffMs * 2 ** (attempt - 1));
    return base / 2 + Math.random() * (base / 2); // jitter spreads out workers retrying against the same server
  }
}

function authHeaders(auth: HttpAuth, body: Buffer): Record<string, string> {
  switch (auth.type) {
    case 'shared-secret':
      return { [auth.header]: auth.secret };
    case 'hmac':
      return {
        [auth.header]: crypto
          .createHmac(auth.algorithm, auth.secret)
          .update(body)
          .digest(auth.encoding ?? 'hex'),
      };
    case 'bearer':
      return { Authorization: `Bearer ${auth.secret}` };
    case 'basic':
      return { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.secret}`).toString('base64')}` };
  }
}

/** Bytes of an HTTP/1.1 request: request line, headers (with Host and Content-Length, which fetch adds) and body. */
function requestSize(url: string, headers: Record<string, string>, bodyBytes: number): number {
  const u = new URL(url);
  const all = { ...headers, Host: u.host, 'Content-Length': String(bodyBytes) };
  let size = `POST ${u.pathname}${u.search} HTTP/1.1\r\n`.length + 2;
  for (const [name, value] of Object.entries(all)) size += Buffer.byteLength(`${name}: ${value}\r\n`);
  return size + bodyBytes;
}

/** Lines of one chunk, cut into batches; each batch is sent as soon as it is full. */
class HttpChunkWriter implements ChunkWriter {
  private readonly controller = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly keyPrefix: string;
  private readonly source: string;
  private batch: string[] = [];
  private batchChars = 0;
  private batchIndex = 0;
  private failure: Error | undefined;
  private rows = 0;
  private bytes = 0;
  private closed = false;

  constructor(
    private readonly sink: HttpSink,
    file: LogFileRef,
    private readonly chunk: number,
  ) {
    this.keyPrefix = `elfstream-${file.orgId}-${file.fileId}-${chunk}-`;
    this.source = `salesforce:${file.sourceId}`;
  }

  write(line: string): void | Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new Error('http sink: chunk already committed or aborted');
    const s = this.sink.settings;
    const entry = s.format === 'splunk-hec' ? hecEvent(line, this.source, s.host) : line;
    this.batch.push(entry);
    this.batchChars += entry.length + 1;
    this.rows++;
    if (this.batch.length >= s.batchSize || this.batchChars >= s.maxBatchBytes) return this.send();
  }

  async commit(): Promise<ChunkReceipt> {
    if (this.closed) throw new Error('http sink: chunk already committed or aborted');
    if (this.batch.length > 0) await this.send();
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    if (this.failure !== undefined) throw this.failure;
    return { chunk: this.chunk, rows: this.rows, bytes: this.bytes };
  }

  async abort(): Promise<void> {
    this.closed = true;
    this.batch = [];
    this.controller.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  private send(): void | Promise<void> {
    const body = this.batch.join('\n') + '\n';
    this.batch = [];
    this.batchChars = 0;
    this.bytes += Buffer.byteLength(body);
    const key = this.keyPrefix + this.batchIndex++;
    const p: Promise<void> = this.sink.deliver(body, key, this.controller.signal).then(
      () => void this.inFlight.delete(p),
      (err: Error) => {
        this.inFlight.delete(p);
        if (this.failure === undefined) {
          this.failure = err;
          this.controller.abort(); // no point finishing the other batches of a chunk that will be resent
        }
      },
    );
    this.inFlight.add(p);
    if (this.inFlight.size >= this.sink.settings.concurrency) return this.waitForSlot();
  }

  private async waitForSlot(): Promise<void> {
    await Promise.race(this.inFlight);
    if (this.failure !== undefined) throw this.failure;
  }
}
