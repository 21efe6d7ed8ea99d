/**
 * Reading the error response of a request made with node:http (the LogFile download): a bounded body, decoded
 * when compressed, and Salesforce's `[{"message","errorCode"}]` shape.
 */
import type http from 'node:http';
import zlib from 'node:zlib';

/** Largest error body read to find Salesforce's `errorCode`. */
const MAX_ERROR_BODY = 64 * 1024;

/** Reads at most {@link MAX_ERROR_BODY} bytes of an error response (decompressed when needed). */
export async function readErrorBody(res: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_ERROR_BODY) {
        res.destroy();
        break;
      }
    }
  } catch {
    // A broken error body still leaves the status to classify.
  }
  const raw = Buffer.concat(chunks);
  const encoding = (header(res, 'content-encoding') ?? '').toLowerCase();
  try {
    if (encoding.includes('gzip')) return zlib.gunzipSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString();
    if (encoding.includes('deflate'))
      return zlib.inflateSync(raw, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString();
  } catch {
    return '';
  }
  return raw.toString('utf8');
}

/** `[{"message":"…","errorCode":"…"}]` (or one object) → its first error. */
export function parseRestError(body: string): { errorCode?: string; message?: string } {
  try {
    const parsed = JSON.parse(body) as unknown;
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { errorCode?: unknown; message?: unknown } | null;
    if (first && typeof first === 'object') {
      return {
        ...(typeof first.errorCode === 'string' ? { errorCode: first.errorCode } : {}),
        ...(typeof first.message === 'string' ? { message: first.message } : {}),
      };
    }
  } catch {
    // Not JSON (an HTML error page): the status decides.
  }
  return /<html|<!doctype/i.test(body) ? { message: 'an HTML page instead of an API response' } : {};
}

export function header(res: http.IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
