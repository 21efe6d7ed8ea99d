/** Helpers of the simulator tests: a raw HTTP client (no decoding, no retries) and JWT signing. */
import { createSign } from 'node:crypto';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/** What a plain HTTP client saw. `error` is set when the connection failed mid-way (body holds what arrived). */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Body bytes as received on the wire (still compressed when gzip). */
  raw: Buffer;
  error?: NodeJS.ErrnoException;
  /** Milliseconds from request to end of body. */
  elapsedMs: number;
}

/** A request with node:http; resolves even when the body is cut off (see `error`). */
export function rawRequest(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let onFailure: (err: NodeJS.ErrnoException) => void = reject;
    const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      // Once a response started, a socket error means a cut-off body: report it with what arrived.
      onFailure = (err) => finish(err);
      const finish = (error?: NodeJS.ErrnoException) =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          raw: Buffer.concat(chunks),
          ...(error ? { error } : {}),
          elapsedMs: Date.now() - started,
        });
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish());
      res.on('error', (err) => finish(err));
      res.on('aborted', () => finish(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    });
    req.on('error', (err) => onFailure(err));
    req.end(opts.body);
  });
}

/** The decoded body text of a response. */
export function bodyText(r: RawResponse): string {
  return (r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.raw) : r.raw).toString('utf8');
}

/** Reads a stream to one buffer. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

/** A compact RS256 JWS, signed with node:crypto. */
export function signJwt(claims: Record<string, unknown>, privateKeyPem: string, alg = 'RS256'): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg, typ: 'JWT' })}.${enc(claims)}`;
  const signature = createSign('RSA-SHA256').update(head).sign(privateKeyPem).toString('base64url');
  return `${head}.${signature}`;
}

/** The JSON body of a response. */
export function json<T = unknown>(r: RawResponse): T {
  return JSON.parse(bodyText(r)) as T;
}

/** A SOAP login envelope like the ones SOAP clients send. */
export function soapLoginEnvelope(username: string, password: string): string {
  return (
    '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Header/><se:Body>' +
    `<login xmlns="urn:partner.soap.sforce.com"><username>${username}</username><password>${password}</password></login>` +
    '</se:Body></se:Envelope>'
  );
}
