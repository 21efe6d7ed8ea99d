import type { LogFileRef, LogSink } from '../sinks/types';

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

export interface IngestOptions {
  /** Opens the decoded CSV bytes of the file, afresh on each call (a resumed run re-reads from the start). */
  open: (signal: AbortSignal) => Promise<NodeJS.ReadableStream>;
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
  /**
   * Where rows are normalized (row ids, JSON, UTF-8): `never` in this thread; `always` in a worker thread,
   * overlapping with CSV parsing in this one; `auto` (default) in a worker once `offloadAfterBytes` have been read
   * (small files are not worth a thread) when the machine has more than one core (the threads, one per core at most,
   * are shared by the files a process ingests at once; see `NormalizeWorkers`). The output is the same bytes in
   * every mode.
   * `npm run bench` measures both ways on its URI files (PERFORMANCE.md): the worker costs a few tens of MB of RSS.
   */
  offload?: 'auto' | 'always' | 'never';
  /** For `offload: 'auto'`. Default 8 MiB. */
  offloadAfterBytes?: number;
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
