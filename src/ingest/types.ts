import type { LogFileRef, LogSink } from '../sinks/types';
import type { ContentEncoding } from './content-encoding';

/** Structured log lines of one ingestion (the Temporal activity logger fits). */
export interface IngestLogger {
  info(msg: string, meta?: object): void;
  warn(msg: string, meta?: object): void;
}

/** The last committed chunk, as heartbeated: its index and the total rows committed through it. */
export interface IngestProgress {
  chunk: number;
  rows: number;
}

/** A file's body as sent, for the pipeline to decode (in a worker thread, for a large file). */
export interface EncodedBody {
  stream: NodeJS.ReadableStream;
  /** Its `Content-Encoding`. */
  encoding: ContentEncoding;
  /** The error to report when the body does not decode (`err` from zlib). */
  decodeError(err: NodeJS.ErrnoException): Error;
}

export interface IngestOptions {
  /**
   * Opens the file, afresh on each call (a resumed run re-reads from the start): its decoded CSV bytes, or its body
   * as sent with its encoding.
   */
  open: (signal: AbortSignal) => Promise<NodeJS.ReadableStream | EncodedBody>;
  /**
   * The file, with its `LogFileFieldNames` / `LogFileFieldTypes` when known, and its `LogFileLength` (the CSV's size
   * in bytes): a body with fewer bytes is truncated, and fails the file before its last chunk is committed.
   */
  file: LogFileRef & { fieldNames?: string; fieldTypes?: string; logFileLength?: number };
  context: {
    sourceLabel: string;
    /** ISO-8601; recorded in every event and the manifest, so a rerun writes identical bytes. */
    parseTime: string;
  };
  sink: LogSink;
  /** Rows per committed chunk. */
  chunkRows: number;
  /** Continue after this committed chunk (from the last heartbeat). */
  resume?: IngestProgress;
  /**
   * Called after each chunk is committed, before the next one opens (the activity heartbeats here).
   * `rows` is the total committed through this chunk (what `resume.rows` expects); `bytes` is this chunk's size
   * as the sink counted it (uncompressed NDJSON).
   */
  onChunkCommitted?: (p: { chunk: number; rows: number; bytes: number }) => void | Promise<void>;
  /** Stops reading promptly; the open chunk is aborted and the run rejects with the signal's reason. */
  signal?: AbortSignal;
  logger?: IngestLogger;
  /** Malformed rows logged one by one before only a summary is logged. Default 20. */
  maxMalformedLogs?: number;
  /** Decoded CSV bytes read so far (from 0 on each run), as the file is read: for progress reports. */
  onBytesRead?: (bytes: number) => void;
  /**
   * Where the file is decoded, parsed and normalized: `never` in this thread; `always` in a worker thread, which
   * overlaps that work with reading and writing in this one and keeps its garbage out of this thread's heap; `auto`
   * (default) in a worker for a file whose `logFileLength` is unknown or at least `offloadFromBytes` (small files are
   * not worth a thread) when the machine has more than one core. The threads, one per core at most, are shared by
   * the files a process ingests at once (see `IngestThreads`). The output is the same bytes in every mode.
   * `npm run bench` measures both ways on its URI files (PERFORMANCE.md).
   */
  offload?: 'auto' | 'always' | 'never';
  /** For `offload: 'auto'`. Default 8 MiB. */
  offloadFromBytes?: number;
}

export interface IngestResult {
  /** Rows of the file (valid and malformed), including those committed by earlier attempts. */
  rows: number;
  /** Chunks of the file, including those committed by earlier attempts. */
  chunks: number;
  malformedRows: number;
  unknownColumns: string[];
  /** Decoded CSV bytes read by this run. */
  bytesRead: number;
  /** The first chunk this run wrote when it resumed (`resume.chunk + 1`); undefined for a fresh run. */
  resumedFromChunk: number | undefined;
}
