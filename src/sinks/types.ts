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

/** Written rows of one chunk; `write` may return a promise when the destination needs the caller to wait. */
export interface ChunkWriter {
  /** One NDJSON line, without the trailing newline. */
  write(line: string): void | Promise<void>;
  /** Makes the chunk durable and visible. Rewriting a committed chunk with the same rows is idempotent. */
  commit(): Promise<ChunkReceipt>;
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
}

export interface FileSummary {
  rows: number;
  chunks: ChunkReceipt[];
  malformedRows: number;
  unknownColumns: string[];
}

export interface LogSink {
  readonly kind: 'file' | 'stdout' | 'http';
  /** Opens chunk `chunk` (0-based) of `file`. Opening a chunk that was committed before starts it afresh. */
  openChunk(file: LogFileRef, chunk: number): Promise<ChunkWriter>;
  /** Records that every chunk of `file` is committed (the file sink writes a manifest). */
  completeFile(file: LogFileRef, summary: FileSummary): Promise<void>;
  /** Human-readable description of where events go, for logs and the CLI. */
  describe(): string;
  close(): Promise<void>;
}
