/** The output side of elfstream: where normalized events go. One module per sink implements {@link LogSink}. */

/** Identifies one EventLogFile of one source; sinks derive deterministic names from it. */
export interface LogFileRef {
  sourceId: string;
  orgId: string;
  fileId: string;
  eventType: string;
  /** ISO-8601 UTC. */
  logDate: string;
  interval: 'Hourly' | 'Daily';
  sequence: number;
}

/** Just the {@link LogFileRef} fields of `file` (which may carry more, such as its field layout). */
export function logFileRef(file: LogFileRef): LogFileRef {
  const { sourceId, orgId, fileId, eventType, logDate, interval, sequence } = file;
  return { sourceId, orgId, fileId, eventType, logDate, interval, sequence };
}

/** Written rows of one chunk; `write` may return a promise when the destination needs the caller to wait. */
export interface ChunkWriter {
  /** One NDJSON line, without the trailing newline. */
  write(line: string): void | Promise<void>;
  /**
   * Optional fast path: `lines` complete NDJSON lines as UTF-8, each ending with `\n` — the same as calling
   * `write` for each line. Callers fall back to `write` when a sink does not implement it.
   *
   * The caller reuses `block`'s memory once the call returns, or once its promise settles: a sink that keeps the
   * bytes longer (queued for a stream, buffered for an upload) keeps a copy.
   */
  writeBlock?(block: Buffer, lines: number): void | Promise<void>;
  /**
   * Makes the chunk durable and visible. Rewriting a committed chunk with the same rows is idempotent. `sha256` is
   * the chunk's NDJSON digest, from a caller that opened the chunk with `sha256ByCaller`.
   */
  commit(sha256?: string): Promise<ChunkReceipt>;
  /** Discards what was written to this chunk. */
  abort(): Promise<void>;
}

export interface ChunkReceipt {
  chunk: number;
  rows: number;
  bytes: number;
  /** sha256 of the uncompressed NDJSON of the chunk, where the sink computes it. */
  sha256?: string;
  location?: string;
  /** Bytes as stored, where that differs from `bytes` (the file sink's gzip output). */
  storedBytes?: number;
  /** sha256 of the chunk as stored (e.g. the gzip file), where the sink computes it. */
  storedSha256?: string;
}

export interface FileSummary {
  rows: number;
  /**
   * Receipts of the chunks committed by this run. After a resume the chunks committed by earlier attempts are not
   * here; `chunkCount` says how many chunks the file has, and a sink that needs their receipts recovers them
   * (the file sink reads them back).
   */
  chunks: ChunkReceipt[];
  malformedRows: number;
  unknownColumns: string[];
  /** Total number of chunks of the file (0 … chunkCount-1); `chunks.length` when absent. */
  chunkCount?: number;
  /** ISO-8601 time recorded as the completion time; the caller's parse time, so reruns write identical bytes. */
  completedAt?: string;
}

/** How a chunk is to be written. */
export interface OpenChunkOptions {
  /**
   * The caller hashes the chunk's NDJSON itself, as it produces it, and passes the sha256 to `commit`: a sink that
   * records it ({@link LogSink.recordsChunkSha256}) then does not hash the same bytes again. elfstream's ingest does
   * this in its ingest worker thread for a large file, to keep the hash off the thread that writes.
   */
  sha256ByCaller?: boolean;
}

export interface LogSink {
  readonly kind: 'file' | 'stdout' | 'http' | 's3' | 'kafka';
  /** Whether the receipts carry the sha256 of each chunk's NDJSON (the file sink's, uncompressed). */
  readonly recordsChunkSha256?: boolean;
  /** Opens chunk `chunk` (0-based) of `file`. Opening a chunk that was committed before starts it afresh. */
  openChunk(file: LogFileRef, chunk: number, options?: OpenChunkOptions): Promise<ChunkWriter>;
  /** Records that every chunk of `file` is committed (the file sink writes a manifest). */
  completeFile(file: LogFileRef, summary: FileSummary): Promise<void>;
  /**
   * Takes back what was committed of a file found unreadable at its end (truncated), where the sink can: the file
   * sink removes its chunks and writes `failed.json` with the reason. Sinks that deliver as they go (http, stdout)
   * cannot recall what they sent and leave this out.
   */
  failFile?(file: LogFileRef, reason: string): Promise<void>;
  /** Human-readable description of where events go, for logs and the CLI. */
  describe(): string;
  /**
   * For `elfstream verify`: checks, without writing anything, that the destination answers and takes these
   * credentials. Resolves with what it found (one line), rejects with what to fix.
   */
  probe?(eventTypes: readonly string[]): Promise<string>;
  close(): Promise<void>;
}
