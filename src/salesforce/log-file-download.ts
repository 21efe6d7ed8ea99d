/**
 * Streaming download of one EventLogFile's CSV (`GET …/sobjects/EventLogFile/{Id}/LogFile`) with node:http(s).
 *
 * jsforce buffers whole response bodies in memory (and parses `text/csv` into objects), which daily files of
 * hundreds of megabytes cannot afford; this module never buffers the body:
 * - the response is piped (gunzip first when `Content-Encoding: gzip`, unless the caller decodes it itself) into the
 *   returned stream, so a slow consumer pauses the socket (backpressure end to end);
 * - sockets come from the session's keep-alive agent;
 * - an `AbortSignal` destroys the request (and fails the stream with an `AbortError`);
 * - a 401 refreshes the session once and retries; 420/429/5xx and connection failures before the body starts are
 *   retried a few times; any other status becomes a classified {@link SalesforceError} carrying Salesforce's
 *   `errorCode`;
 * - a connection reset, an idle timeout or a body cut mid-stream fails the stream with a `transient`
 *   SalesforceError; a gzip stream that is cut or corrupt inside a complete response fails it as `unreadable`.
 */
import http from 'node:http';
import https from 'node:https';
import { PassThrough, type Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { decodedStream, parseContentEncoding, type ContentEncoding } from '../ingest/content-encoding';
import { SalesforceError } from './errors';
import type { CallContext, SalesforceSession } from './session';
import { header, parseRestError, readErrorBody } from './error-body';
import { isSalesforceId } from './soql';

/** An open LogFile body. */
export interface LogFileDownload {
  /**
   * The CSV bytes: decoded (gunzipped when the response was compressed), or as sent with `decode: false`. Errors are
   * SalesforceErrors or AbortErrors.
   */
  stream: NodeJS.ReadableStream;
  /** `Content-Length` of the response as sent: the compressed size when `compressed`, else the CSV size. */
  contentLength?: number;
  /** Whether Salesforce compressed the body (`Content-Encoding: gzip`/`deflate`/`br`). */
  compressed: boolean;
  /** The body's `Content-Encoding`: what a caller that asked for `decode: false` decodes. */
  encoding: ContentEncoding;
  /**
   * The error for a body that does not decode (`err` from zlib): `unreadable` when the response arrived whole or the
   * bytes are not of the coding at all (every download would fail the same way), else `transient`.
   */
  decodeError(err: NodeJS.ErrnoException): SalesforceError;
}

/** Options of {@link openLogFileStream}. */
export interface OpenLogFileOptions extends CallContext {
  signal?: AbortSignal;
  /** Idle socket timeout, before and during the body. Default 120 s. */
  idleTimeoutMs?: number;
  /** Retries of 420/429/5xx and connection failures before the body starts. Default: the session's (2). */
  maxRetries?: number;
  /** First retry delay (doubles each time). Default: the session's (500 ms). */
  retryDelayMs?: number;
  userAgent?: string;
  /** Ask for a gzip body (`Accept-Encoding: gzip`). Default true; false asks for the identity encoding. */
  acceptGzip?: boolean;
  /**
   * Decode the body here. Default true; false hands the bytes on as sent, for a caller that decodes them elsewhere
   * (the ingest pipeline decodes large files in a worker thread) with {@link LogFileDownload.decodeError}.
   */
  decode?: boolean;
}

/**
 * Opens the LogFile of `fileId` on the session's instance.
 *
 * @throws SalesforceError before the body starts (auth, permission, not-found for a deleted file, transient…).
 */
export async function openLogFileStream(
  session: SalesforceSession,
  fileId: string,
  options: OpenLogFileOptions = {},
): Promise<LogFileDownload> {
  if (!isSalesforceId(fileId)) {
    throw new SalesforceError({
      kind: 'invalid-request',
      sourceId: options.sourceId,
      message: `${JSON.stringify(fileId.slice(0, 40))} is not an EventLogFile id (15 or 18 letters and digits).`,
    });
  }
  const call: CallContext = { sourceId: options.sourceId, logger: options.logger };
  const path = `/services/data/v${session.apiVersion}/sobjects/EventLogFile/${fileId}/LogFile`;
  const ctx = {
    sourceId: options.sourceId,
    operation: 'download' as const,
    endpoint: path,
    fileId,
    retentionDays: options.retentionDays,
  };
  const maxRetries = options.maxRetries ?? session.retryPolicy.maxRetries;
  const retryDelayMs = options.retryDelayMs ?? session.retryPolicy.retryDelayMs;
  let refreshed = false;
  let attempt = 0;

  for (;;) {
    throwIfAborted(options.signal);
    await session.ensureLoggedIn(call);
    const url = new URL(path, session.instanceUrl);
    const sentAt = Date.now();
    let res: http.IncomingMessage;
    let req: http.ClientRequest;
    try {
      ({ req, res } = await send(session, url, options));
    } catch (err) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const error = session.classify(err, ctx);
      if (error.kind === 'transient' && attempt < maxRetries) {
        await backoff(attempt++, retryDelayMs, options.signal);
        continue;
      }
      throw error;
    }
    session.usage.observe(res.headers['sforce-limit-info']);
    const status = res.statusCode ?? 0;

    if (status >= 200 && status < 300) return streamBody(session, req, res, options, ctx);

    const body = await readErrorBody(res);
    const rest = parseRestError(body);
    if (status === 401 && !refreshed) {
      refreshed = true;
      options.logger?.info('Salesforce rejected the session during a LogFile download; logging in again', {
        sourceId: options.sourceId,
        fileId,
      });
      await session.refreshAfterRejection(sentAt, call);
      continue;
    }
    const error = session.classify(
      Object.assign(new Error(rest.message ?? `HTTP ${status}`), {
        errorCode: rest.errorCode ?? `ERROR_HTTP_${status}`,
      }),
      { ...ctx, status, retryAfter: header(res, 'retry-after'), afterRefresh: refreshed },
    );
    if (error.kind === 'transient' && attempt < maxRetries) {
      await backoff(attempt++, retryDelayMs, options.signal);
      continue;
    }
    throw error;
  }
}

/** Sends the GET and resolves with the response head (the body is not read). */
function send(
  session: SalesforceSession,
  url: URL,
  options: OpenLogFileOptions,
): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const token = session.accessToken();
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'GET',
      agent: session.agentFor(url.protocol),
      headers: {
        Authorization: `Bearer ${token ?? ''}`,
        // Salesforce compresses REST responses on request (gzip or deflate, "Compression Headers"); all three codings
        // here are ones Node's zlib decodes, so none can arrive undecodable.
        'Accept-Encoding': options.acceptGzip === false ? 'identity' : 'gzip, deflate, br',
        Accept: 'text/csv, */*',
        ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
      },
    });
    const onAbort = (): void => {
      req.destroy(abortError(options.signal));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let response: http.IncomingMessage | undefined;
    const idleMs = options.idleTimeoutMs ?? 120_000;
    const onIdle = (): void => {
      if (response?.isPaused()) {
        // Our consumer is applying backpressure, so the silence is ours, not Salesforce's: wait another period.
        req.setTimeout(idleMs, onIdle);
        return;
      }
      const timeout = Object.assign(new Error('LogFile download idle timeout'), { code: 'ETIMEDOUT' });
      // Destroy the response first so that its body stream reports the timeout rather than a reset.
      response?.destroy(timeout);
      req.destroy(timeout);
    };
    req.setTimeout(idleMs, onIdle);
    req.once('response', (res) => {
      response = res;
      resolve({ req, res });
    });
    // `on`, not `once`: an error after the response (a reset mid-body) must not crash the process; the body
    // stream reports it.
    req.on('error', (err) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    req.once('close', () => options.signal?.removeEventListener('abort', onAbort));
    req.end();
  });
}

/** Wires the response body into the returned stream with backpressure, error translation and (unless the caller
 * decodes it) decoding. */
function streamBody(
  session: SalesforceSession,
  req: http.ClientRequest,
  res: http.IncomingMessage,
  options: OpenLogFileOptions,
  ctx: { sourceId?: string; operation: 'download'; endpoint: string; fileId: string; retentionDays?: number },
): LogFileDownload {
  const encoding = parseContentEncoding(header(res, 'content-encoding'));
  const out = new PassThrough();
  const decodeError = (err: NodeJS.ErrnoException): SalesforceError => {
    // A response that arrived whole (or bytes that are not gzip at all) holds the same bad stream on every
    // download: the file is unreadable. A body cut by the connection is reported by 'close' below, as transient.
    const permanent = res.complete || err.code === 'Z_DATA_ERROR';
    return new SalesforceError({
      kind: permanent ? 'unreadable' : 'transient',
      errorCode: err.code ?? 'Z_DATA_ERROR',
      sourceId: ctx.sourceId,
      endpoint: ctx.endpoint,
      message: permanent
        ? `The compressed body of LogFile ${ctx.fileId} is truncated or corrupt although the response was complete (${err.code ?? 'zlib error'}): the file cannot be read.`
        : `The compressed body of LogFile ${ctx.fileId} is truncated or corrupt (${err.code ?? 'zlib error'}): the download is retried.`,
    });
  };
  let finished = false;

  const fail = (error: Error): void => {
    if (finished) return;
    finished = true;
    out.destroy(error);
    res.destroy();
    req.destroy();
  };
  const onAbort = (): void => fail(abortError(options.signal));
  options.signal?.addEventListener('abort', onAbort, { once: true });

  res.on('error', (err) => {
    fail(options.signal?.aborted ? abortError(options.signal) : session.classify(err, ctx));
  });
  res.on('close', () => {
    // A body cut short without an 'error' event (a server closing a chunked response early).
    if (!res.complete) fail(options.signal?.aborted ? abortError(options.signal) : truncated(ctx));
  });
  out.on('end', () => {
    finished = true;
  });
  out.on('close', () => {
    options.signal?.removeEventListener('abort', onAbort);
    if (!finished) {
      // The consumer destroyed the stream early: stop the transfer.
      finished = true;
      res.destroy();
      req.destroy();
    }
  });

  (res as Readable).pipe(out);

  const length = Number(header(res, 'content-length'));
  return {
    stream: options.decode === false ? out : decodedStream(out, encoding, decodeError),
    ...(Number.isFinite(length) && header(res, 'content-length') !== undefined ? { contentLength: length } : {}),
    compressed: encoding !== 'identity',
    encoding,
    decodeError,
  };
}

function truncated(ctx: { sourceId?: string; endpoint: string; fileId: string }): SalesforceError {
  return new SalesforceError({
    kind: 'transient',
    errorCode: 'ECONNRESET',
    sourceId: ctx.sourceId,
    endpoint: ctx.endpoint,
    message: `The connection closed before the end of LogFile ${ctx.fileId} (ECONNRESET): the download is retried.`,
  });
}

async function backoff(attempt: number, retryDelayMs: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(retryDelayMs * 2 ** attempt, undefined, { signal });
  } catch {
    throw abortError(signal);
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** An `AbortError` carrying the signal's reason; not a SalesforceError (cancellation is not a Salesforce failure). */
function abortError(signal: AbortSignal | undefined): Error {
  return Object.assign(new Error('The LogFile download was aborted'), {
    name: 'AbortError',
    code: 'ABORT_ERR',
    cause: signal?.reason,
  });
}
