/**
 * LogFile downloads as Salesforce serves them: `Content-Type: application/octetstream`, chunked (no
 * Content-Length), compressed only when asked (gzip first, else br or deflate), raw CSV otherwise
 * (sObject Blob Get: https://developer.salesforce.com/docs/platform/api-rest/guide/resources-sobject-blob-retrieve.html). Bytes are generated as the socket drains, so a 1 GiB file costs no memory; a stored file
 * (see `blob-store.ts`) is read from disk instead. The `reset-blob` and `slow-blob` faults act on the wire bytes.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, type Transform } from 'node:stream';
import { createBrotliCompress, createDeflate, createGunzip, createGzip, constants as zlibConstants } from 'node:zlib';
import type { SimContext } from './context';
import { accepts } from './http-util';
import type { SimFile } from './sim-file';

/** Delay between the last byte before a scripted reset and the reset itself. */
const RESET_GRACE_MS = 50;

/** Faults applied to one download. */
export interface BlobFaults {
  resetAfterBytes?: number;
  bytesPerSecond?: number;
  /** Another body answered instead of the file (`replace-blob`). */
  replaceBody?: { body: Buffer; contentType: string };
  /** The body ends normally after this many wire bytes (`truncate-blob`). */
  endAfterBytes?: number;
}

/** The uncompressed bytes of a file as a stream. */
export function fileStream(ctx: SimContext, file: SimFile): Readable {
  return Readable.from(ctx.world.content.chunks(file), { objectMode: false });
}

/** Streams a file as the LogFile response. */
export async function sendBlob(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  file: SimFile,
  headers: Record<string, string>,
  faults: BlobFaults,
): Promise<void> {
  if (faults.replaceBody) {
    const { body, contentType } = faults.replaceBody;
    res.writeHead(200, { ...headers, 'Content-Type': contentType, 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  const cutAt = faults.endAfterBytes;
  const coding = CODINGS.find((c) => accepts(req, c)) ?? 'identity';
  const out: Record<string, string> = { ...headers, 'Content-Type': 'application/octetstream' };
  if (coding !== 'identity') {
    out['Content-Encoding'] = coding;
    out['Vary'] = 'Accept-Encoding';
  }
  res.writeHead(200, out);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const body = wireBytes(ctx, file, coding);
  let sent = 0;
  const started = Date.now();
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      let piece = chunk;
      while (piece.length > 0) {
        if (res.destroyed) return;
        // Throttle in small slices so a slow download trickles instead of stalling then bursting.
        const slice =
          faults.bytesPerSecond !== undefined
            ? piece.subarray(0, Math.max(1, Math.floor(faults.bytesPerSecond / 20)))
            : piece;
        piece = piece.subarray(slice.length);
        let toSend = slice;
        const cut = faults.resetAfterBytes !== undefined && sent + slice.length >= faults.resetAfterBytes;
        if (cut) toSend = slice.subarray(0, (faults.resetAfterBytes ?? 0) - sent);
        const ends = cutAt !== undefined && sent + toSend.length >= cutAt;
        if (ends) toSend = toSend.subarray(0, cutAt - sent);
        if (faults.bytesPerSecond !== undefined) {
          const due = started + ((sent + toSend.length) / faults.bytesPerSecond) * 1000;
          if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        }
        if (toSend.length > 0) await write(res, toSend, cut);
        sent += toSend.length;
        ctx.counters.blobBytesServed += toSend.length;
        if (ends && !cut) {
          // A file stored cut short: the response completes normally, the body is simply shorter.
          res.end();
          return;
        }
        if (cut) {
          // A TCP reset mid-body: the client sees ECONNRESET / an aborted response. Pause first so the bytes
          // already sent reach the client: a reset makes the receiver drop data it has not read yet.
          await new Promise((r) => setTimeout(r, RESET_GRACE_MS));
          res.socket?.resetAndDestroy();
          return;
        }
      }
    }
    res.end();
  } finally {
    body.destroy();
  }
}

/** Content codings offered, in order of preference. */
const CODINGS = ['gzip', 'br', 'deflate'] as const;
type Coding = (typeof CODINGS)[number] | 'identity';

/** The response body: the stored blob (gzip on disk), or the file generated now; in the given coding. */
function wireBytes(ctx: SimContext, file: SimFile, coding: Coding): Readable {
  const stored = ctx.blobs.gzipPath(file.id);
  const source: Readable = stored !== undefined ? fs.createReadStream(stored) : fileStream(ctx, file);
  if (stored !== undefined && coding === 'gzip') return source;
  const steps: Transform[] = [];
  if (stored !== undefined) steps.push(createGunzip());
  if (coding === 'gzip') steps.push(createGzip({ level: zlibConstants.Z_BEST_SPEED }));
  if (coding === 'br') steps.push(createBrotliCompress({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 1 } }));
  if (coding === 'deflate') steps.push(createDeflate({ level: zlibConstants.Z_BEST_SPEED }));
  let out: Readable = source;
  for (const step of steps) {
    const from = out;
    from.on('error', (err) => step.destroy(err));
    step.on('close', () => from.destroy());
    out = from.pipe(step);
  }
  return out;
}

/**
 * Writes a chunk, honouring backpressure: waits for 'drain' when the socket buffer is full, or with `flush` until
 * the chunk itself was handed to the socket. Resolves early if the response closes.
 */
function write(res: ServerResponse, chunk: Buffer, flush: boolean): Promise<void> {
  let needDrain = false;
  return new Promise((resolve) => {
    const done = () => {
      res.off('close', done);
      res.off('drain', done);
      resolve();
    };
    res.once('close', done);
    needDrain = !res.write(chunk, flush ? () => done() : undefined);
    if (flush) return;
    if (needDrain) res.once('drain', done);
    else done();
  });
}
