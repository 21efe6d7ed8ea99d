import type { ChunkReceipt, ChunkWriter, LogFileRef, LogSink } from '../sinks/types';
import { abortable } from './abort';

/**
 * The write side of an ingestion: cuts the event lines of a file into chunks of exactly `chunkRows` lines, opens each
 * chunk lazily (no empty trailing chunk), commits it when full and reports each commit, in order, once it is
 * durable. Lines arrive one by one (normalized in this thread) or as blocks (normalized by the worker thread).
 * The thread that produces the blocks may also hash whole chunks for the sink (see {@link hashChunksFromNext}).
 *
 * A full chunk commits in the background while the next one fills: a commit waits for the disk (fsync), and on a
 * large file those waits would otherwise add up to a good part of the run. At most one commit is in flight, and
 * `onCommitted` for chunk k runs only after chunk k is committed, so a heartbeat never claims more than is
 * durable; a crash in between only means the next attempt rewrites the chunk, which is idempotent.
 */
export class ChunkedOutput {
  private writer: ChunkWriter | undefined;
  private rowsInChunk = 0;
  private readonly receipts: ChunkReceipt[] = [];
  /** The commit in flight, if any; it never rejects (its failure is kept in `commitFailure`). */
  private committing: Promise<void> | undefined;
  private committingWriter: ChunkWriter | undefined;
  private commitFailure: { error: unknown } | undefined;
  /** First chunk whose sha256 comes with the blocks (`Infinity`: none); the digests not yet used, in order. */
  private digestsFrom = Infinity;
  private readonly digests: string[] = [];

  constructor(
    private readonly sink: LogSink,
    private readonly file: LogFileRef,
    private readonly chunkRows: number,
    /** Index of the first chunk to write. */
    private chunk: number,
    /** Rows committed before the first chunk (by earlier attempts). */
    private committedRows: number,
    private readonly onCommitted:
      ((p: { chunk: number; rows: number; bytes: number }) => void | Promise<void>) | undefined,
    private readonly signal: AbortSignal,
  ) {}

  /** Chunks of the file so far, committed, committing or open. */
  get chunkCount(): number {
    return this.writer === undefined ? this.chunk : this.chunk + 1;
  }

  /** Receipts of the chunks committed by this run. */
  get committed(): ChunkReceipt[] {
    return this.receipts;
  }

  /**
   * When the sink records chunk digests: from the next chunk to start on, the caller hashes each chunk's lines as it
   * produces them and hands in the sha256s ({@link addDigests}) by the time each chunk is full, or before `finish`
   * for the last one; the sink opens those chunks with `sha256ByCaller` and does not hash them again. Returns where
   * chunks end for the caller (`linesInChunk`: lines already in the open chunk, which the caller does not hash), or
   * undefined when the sink records no digests.
   */
  hashChunksFromNext(): { chunkRows: number; linesInChunk: number } | undefined {
    if (this.sink.recordsChunkSha256 !== true) return undefined;
    this.digestsFrom = this.rowsInChunk > 0 ? this.chunk + 1 : this.chunk;
    return { chunkRows: this.chunkRows, linesInChunk: this.rowsInChunk };
  }

  /** Digests of chunks, in order, from the first chunk {@link hashChunksFromNext} handed to the caller. */
  addDigests(digests: readonly string[]): void {
    for (const d of digests) this.digests.push(d);
  }

  /** One event line; returns a promise only when the caller must wait (open, commit, backpressure). */
  writeLine(line: string): void | Promise<void> {
    const w = this.writer;
    if (w !== undefined && this.rowsInChunk + 1 < this.chunkRows) {
      this.rowsInChunk++;
      const pending = w.write(line) as Promise<void> | undefined;
      return pending === undefined ? undefined : abortable(pending, this.signal);
    }
    return this.writeLineSlow(line);
  }

  /** `lines` event lines as UTF-8 NDJSON (each newline-terminated). */
  async writeBlock(block: Buffer, lines: number): Promise<void> {
    let offset = 0;
    let left = lines;
    while (left > 0) {
      const w = this.writer ?? (await this.open());
      const take = Math.min(left, this.chunkRows - this.rowsInChunk);
      const end = take === left ? block.length : nthLineEnd(block, offset, take);
      const piece = block.subarray(offset, end);
      if (w.writeBlock !== undefined) await this.wait(w.writeBlock(piece, take));
      else for (const line of splitLines(piece)) await this.wait(w.write(line));
      this.rowsInChunk += take;
      left -= take;
      offset = end;
      if (this.rowsInChunk === this.chunkRows) await this.commit();
    }
  }

  /** Commits the last, partial chunk and waits for every commit. */
  async finish(): Promise<void> {
    if (this.writer !== undefined) await this.commit();
    await this.settleCommit();
  }

  /** Discards the open chunk and stops a commit in flight (a chunk already renamed into place stays: that is
   * harmless, the next attempt rewrites it identically). Neither is reported. */
  async abort(): Promise<void> {
    const w = this.writer;
    this.writer = undefined;
    await Promise.all([w?.abort().catch(() => undefined), this.committingWriter?.abort().catch(() => undefined)]);
    await this.committing;
  }

  private async writeLineSlow(line: string): Promise<void> {
    const w = this.writer ?? (await this.open());
    this.rowsInChunk++;
    await this.wait(w.write(line));
    if (this.rowsInChunk === this.chunkRows) await this.commit();
  }

  private async wait(pending: void | Promise<void>): Promise<void> {
    if (pending !== undefined) await abortable(pending, this.signal);
  }

  private async open(): Promise<ChunkWriter> {
    this.signal.throwIfAborted();
    if (this.commitFailure !== undefined) throw this.commitFailure.error;
    this.writer = await this.sink.openChunk(
      this.file,
      this.chunk,
      this.chunk >= this.digestsFrom ? { sha256ByCaller: true } : undefined,
    );
    this.rowsInChunk = 0;
    return this.writer;
  }

  /** Starts committing the open chunk once the previous commit is done; does not wait for this one. */
  private async commit(): Promise<void> {
    await this.settleCommit();
    const writer = this.writer as ChunkWriter;
    const rows = this.rowsInChunk;
    const chunk = this.chunk;
    const sha256 = chunk >= this.digestsFrom ? this.digests.shift() : undefined;
    if (chunk >= this.digestsFrom && sha256 === undefined) {
      throw new Error(`chunk ${chunk} is complete but its sha256 has not been handed in`);
    }
    this.writer = undefined;
    this.rowsInChunk = 0;
    this.chunk++;
    this.committingWriter = writer;
    this.committing = (async () => {
      try {
        const receipt = await writer.commit(sha256);
        this.receipts.push(receipt);
        this.committedRows += rows;
        if (!this.signal.aborted) await this.onCommitted?.({ chunk, rows: this.committedRows, bytes: receipt.bytes });
      } catch (error) {
        this.commitFailure ??= { error };
        await writer.abort().catch(() => undefined); // removes its temp file if the commit failed before the rename
      } finally {
        this.committingWriter = undefined;
      }
    })();
  }

  /** Waits for the commit in flight and rethrows its failure. */
  private async settleCommit(): Promise<void> {
    if (this.committing !== undefined) await abortable(this.committing, this.signal);
    this.committing = undefined;
    if (this.commitFailure !== undefined) throw this.commitFailure.error;
  }
}

/** Offset just past the `n`-th newline at or after `from` (event lines never contain a raw newline). */
function nthLineEnd(block: Buffer, from: number, n: number): number {
  let at = from - 1;
  for (let k = 0; k < n; k++) at = block.indexOf(10, at + 1);
  return at + 1;
}

function splitLines(block: Buffer): string[] {
  const text = block.toString('utf8');
  return text.slice(0, text.length - 1).split('\n');
}
