import type { NormalizeContext, NormalizeOptions } from '../events/normalize';
import type { ContentEncoding } from './content-encoding';

/**
 * Messages between the ingest pipeline and its worker threads (see `ingest-threads.ts`).
 *
 * A large file is ingested in a worker thread from its first byte: the ingesting thread hands on the body as it comes
 * off the socket (still compressed), and the worker thread decodes it, parses the CSV, normalizes the rows and
 * answers with event lines, as UTF-8 blocks, for the ingesting thread to write to the sink. Every buffer that crosses
 * is transferred, not copied: body pieces, into the thread for good, and event blocks, which come back to be reused
 * once written. So no memory per byte of the file is left for the ingesting thread's garbage collector beyond what
 * its socket reads: the per-byte garbage lives in the worker thread, whose small young generation frees it within
 * milliseconds.
 *
 * A worker thread ingests several files at once, each a `stream` of its own (an id unique in the process): every
 * message names its stream, and the thread answers a stream's messages in the order they came.
 */

export interface InitMessage {
  type: 'init';
  stream: number;
  context: NormalizeContext;
  /** The file's `Content-Encoding`. */
  encoding: ContentEncoding;
  options: Pick<NormalizeOptions, 'fieldNames' | 'fieldTypes'>;
  /** Rows numbered up to this were committed by an earlier attempt: they only advance the row-id window. */
  skipThrough: number;
  /** Hash chunks of `chunkRows` lines, the first one starting after `linesInChunk` more lines (0: at once). */
  hashChunks?: { chunkRows: number; linesInChunk: number };
  /** Malformed rows described one by one (for the log); after these only their number is sent. */
  maxMalformedSamples: number;
}

/** A piece of the body as sent, in a buffer of its own: the thread keeps it (the parser may hold on to its bytes). */
export interface BytesMessage {
  type: 'bytes';
  stream: number;
  bytes: Uint8Array;
}

/** The body is complete: answered, after the last result, with {@link EndMessage}. */
export interface EndOfBodyMessage {
  type: 'end';
  stream: number;
}

/** The stream is done (finished or given up): the thread forgets it. Not answered. */
export interface CloseMessage {
  type: 'close';
  stream: number;
}

/** An event block the ingesting thread has written: its buffer serves later blocks (of any stream). */
export interface RecycleMessage {
  type: 'recycle';
  buffer: ArrayBuffer;
}

/** What a worker thread receives. */
export type ToThreadMessage = InitMessage | BytesMessage | EndOfBodyMessage | CloseMessage | RecycleMessage;

/** A body piece is decoded: the thread has room for one more. */
export interface ConsumedMessage {
  type: 'consumed';
  stream: number;
}

/** The header line is known and checked: the columns the normalizer does not know and its warnings. */
export interface HeaderMessage {
  type: 'header';
  stream: number;
  unknownColumns: string[];
  warnings: string[];
}

/** A malformed row, for the log. */
export interface MalformedSample {
  row: number;
  error: string;
}

/** The event lines of a batch of rows (each newline-terminated), and how far the file has been read. */
export interface ResultMessage {
  type: 'result';
  stream: number;
  /** Empty when the batch had nothing to write (all its rows were committed before). */
  block: Uint8Array;
  lines: number;
  /** sha256 (hex) of each chunk whose last line is in this block. */
  digests: string[];
  /** The last row of the batch (rows are numbered from 1, the header excluded). */
  lastRow: number;
  /** Decoded CSV bytes parsed so far. */
  decodedBytes: number;
  malformed: number;
  malformedSamples: MalformedSample[];
}

/** After the last result: the last (partial) chunk's digest, and the file's totals. */
export interface EndMessage {
  type: 'end';
  stream: number;
  digests: string[];
  rows: number;
  decodedBytes: number;
}

/**
 * The stream failed and is forgotten; the thread's other streams carry on. `kind`: `format`, the file is not an
 * EventLogFile CSV (`LogFileFormatError`); `decode`, its compressed body does not decode (`code` is zlib's); else
 * the thread itself failed.
 */
export interface ErrorMessage {
  type: 'error';
  stream: number;
  kind: 'format' | 'decode' | 'internal';
  message: string;
  code?: string;
  stack?: string;
}

/** What a worker thread answers. */
export type FromThreadMessage = ConsumedMessage | HeaderMessage | ResultMessage | EndMessage | ErrorMessage;

/** The buffers a message transfers (its own, handed over, not copied). */
export function transferList(message: ToThreadMessage | FromThreadMessage): ArrayBuffer[] {
  switch (message.type) {
    case 'bytes':
      return [message.bytes.buffer as ArrayBuffer];
    case 'recycle':
      return [message.buffer];
    case 'result':
      return message.block.byteLength > 0 ? [message.block.buffer as ArrayBuffer] : [];
    default:
      return [];
  }
}
