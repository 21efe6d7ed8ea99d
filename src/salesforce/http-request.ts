/**
 * One HTTP request with node:http(s), its whole (small) response read: the REST calls of a session (query pages,
 * describe, limits, identity) and the OAuth token request. jsforce's public API cannot show a response's status and
 * headers, which the client needs (Sforce-Limit-Info on every response, the status and Retry-After of errors), so
 * these calls do not go through it.
 */
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';

/** A complete response: status, headers and the (decompressed) body. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequestOptions {
  method?: 'GET' | 'POST';
  agent: http.Agent;
  headers: Record<string, string>;
  body?: string;
  /** Whole-request timeout: it fails with `ETIMEDOUT`. */
  timeoutMs: number;
}

/** Largest response body read: query pages are at most a few MB (2,000 records). */
const MAX_BODY = 64 * 1024 * 1024;

/** Sends the request and reads the whole body; a network failure or timeout rejects with the socket's error. */
export function sendRequest(url: URL, options: HttpRequestOptions): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: options.method ?? 'GET',
      agent: options.agent,
      headers: {
        'Accept-Encoding': 'gzip',
        ...(options.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(options.body)) } : {}),
        ...options.headers,
      },
    });
    const timer = setTimeout(() => {
      const timeout = new Error(`no complete response within ${options.timeoutMs} ms`);
      req.destroy(Object.assign(timeout, { code: 'ETIMEDOUT' }));
    }, options.timeoutMs);
    const fail = (err: Error): void => {
      clearTimeout(timer);
      reject(err);
    };
    req.on('error', fail);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) req.destroy(new Error(`response body larger than ${MAX_BODY} bytes`));
        else chunks.push(chunk);
      });
      res.on('error', fail);
      res.on('end', () => {
        clearTimeout(timer);
        try {
          const raw = Buffer.concat(chunks);
          const gzip = /gzip/i.test(headerValue(res.headers, 'content-encoding') ?? '');
          const body = (gzip ? zlib.gunzipSync(raw) : raw).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.end(options.body);
  });
}

/** A header's value, repeated headers joined. */
export function headerValue(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
