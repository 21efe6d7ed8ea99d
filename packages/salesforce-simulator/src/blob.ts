/**
 * LogFile downloads: raw CSV, gzip-compressed when the client accepts it (chunked), identity otherwise (with an
 * exact Content-Length). Bytes are generated as the socket drains, so a 1 GiB file costs no memory; a stored file
 * (see `blob-store.ts`) is read from disk instead. The `reset-blob` and `slow-blob` faults act on the wire bytes.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createGunzip, createGzip, constants as zlibConstants } from 'node:zlib';
import type { SimContext } from './context';
import { acceptsGzip } from './http-util';
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
  const gzip = acceptsGzip(req);
  const cutAt = faults.endAfterBytes;
  const out: Record<string, string> = { ...headers, 'Content-Type': 'text/csv' };
  if (gzip) {
    out['Content-Encoding'] = 'gzip';
    out['Vary'] = 'Accept-Encoding';
  } else {
    out['Content-Length'] = String(Math.min(ctx.world.measure(file).bytes, cutAt ?? Infinity));
  }
  res.writeHead(200, out);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const body = wireBytes(ctx, file, gzip);
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

/** The response body: the stored blob, or the file generated now; gzip-compressed or not. */
function wireBytes(ctx: SimContext, file: SimFile, gzip: boolean): Readable {
  const stored = ctx.blobs.gzipPath(file.id);
  const source: Readable = stored !== undefined ? fs.createReadStream(stored) : fileStream(ctx, file);
  if (gzip === (stored !== undefined)) return source;
  const coder = gzip ? createGzip({ level: zlibConstants.Z_BEST_SPEED }) : createGunzip();
  source.on('error', (err) => coder.destroy(err));
  coder.on('close', () => source.destroy());
  return source.pipe(coder);
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
