import { PassThrough, type Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';

/** The codings a LogFile body arrives in (`Content-Encoding`): the ones elfstream asks for, all decoded by zlib. */
export type ContentEncoding = 'identity' | 'gzip' | 'deflate' | 'br';

/**
 * The coding a `Content-Encoding` header names. A coding elfstream did not ask for is read as identity: its bytes
 * then fail the header check as "not a CSV", which names the file, rather than a decoder error that would not.
 */
export function parseContentEncoding(header: string | undefined): ContentEncoding {
  const value = (header ?? '').trim().toLowerCase();
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate' || value === 'br') return value;
  return 'identity';
}

/** A decoder for the coding, or undefined for identity. */
export function createDecoder(encoding: ContentEncoding): Transform | undefined {
  switch (encoding) {
    case 'gzip':
      // 64 KiB output chunks: a quarter of the per-chunk overhead downstream of the default 16 KiB (measured by
      // the bench).
      return zlib.createGunzip({ chunkSize: 64 * 1024 });
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'identity':
      return undefined;
  }
}

/**
 * `stream` decoded (itself for identity): a decoder failure becomes `decodeError(err)`, a failure of `stream` is
 * passed on as it is, and destroying the result before its end stops `stream`.
 */
export function decodedStream(
  stream: NodeJS.ReadableStream,
  encoding: ContentEncoding,
  decodeError: (err: NodeJS.ErrnoException) => Error,
): NodeJS.ReadableStream {
  const decoder = createDecoder(encoding);
  if (decoder === undefined) return stream;
  const source = stream as Readable;
  const out = new PassThrough();
  source.on('error', (err: Error) => {
    decoder.destroy();
    out.destroy(err);
  });
  decoder.on('error', (err: NodeJS.ErrnoException) => {
    source.destroy();
    out.destroy(decodeError(err));
  });
  out.on('close', () => {
    if (out.readableEnded) return;
    decoder.destroy();
    source.destroy();
  });
  source.pipe(decoder).pipe(out);
  return out;
}
