/** Small HTTP helpers shared by the simulator's handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

/** Salesforce's JSON content type, byte for byte. */
export const JSON_TYPE = 'application/json;charset=UTF-8';

/** Largest request body accepted (SOAP envelopes, token requests, control calls). */
const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a request body as UTF-8; rejects bodies over 1 MiB. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether the client accepts a gzip-encoded response. */
export function acceptsGzip(req: IncomingMessage): boolean {
  return accepts(req, 'gzip');
}

/** Whether the request's `Accept-Encoding` accepts `coding` (listed, and not with `q=0`). */
export function accepts(req: IncomingMessage, coding: string): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.split(';').map((p) => p.trim());
    if (name?.toLowerCase() !== coding) return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Sends a complete body, gzip-compressed when the client accepts it (Salesforce compresses REST responses on
 * request), with an exact Content-Length.
 */
export function sendBody(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  let bytes = Buffer.from(body, 'utf8');
  const out: Record<string, string> = { 'Content-Type': contentType, ...headers };
  if (acceptsGzip(req) && bytes.length > 0) {
    bytes = gzipSync(bytes);
    out['Content-Encoding'] = 'gzip';
    out['Vary'] = 'Accept-Encoding';
  }
  out['Content-Length'] = String(bytes.length);
  res.writeHead(status, out);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

/** Errors Salesforce serializes with `errorCode` before `message` (the routing layer's errors). */
const CODE_FIRST = new Set(['NOT_FOUND', 'METHOD_NOT_ALLOWED']);

/** A REST error: a JSON array with one `{message, errorCode}`, keys in Salesforce's order. */
export function sendRestError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  errorCode: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const error = CODE_FIRST.has(errorCode) ? { errorCode, message } : { message, errorCode };
  sendBody(req, res, status, JSON_TYPE, JSON.stringify([error]), headers);
}

/** The request path without its query string. */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** The parsed query string of a request. */
export function queryOf(req: IncomingMessage): URLSearchParams {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
}

/** Escapes text for the content of an XML element (quotes need no escaping there). */
export function xmlEscape(s: string): string {
  return s.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

/** Decodes XML character entities. */
export function xmlUnescape(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|apos|quot);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' } as Record<string, string>)[lower] ?? '';
  });
}
