import { once } from 'node:events';
import { LineBuffer } from './line-buffer';
import type { ChunkReceipt, ChunkWriter, FileSummary, LogFileRef, LogSink } from './types';

/**
 * The stdout sink: NDJSON lines to a writable stream (process.stdout by default), for piping into another tool.
 *
 * Lines are written in blocks of whole lines, so events of files ingested concurrently never mix within a line.
 * A stream cannot take back what it has written: if the worker crashes after writing part of a chunk, the retried
 * activity writes that chunk again, so consumers may see duplicate events. Every event carries a deterministic
 * `p_row_id` for dropping them. Use the file or http sink where duplicates matter.
 */
export interface StdoutSinkOptions {
  /** Default process.stdout. */
  out?: NodeJS.WritableStream;
}

export class StdoutSink implements LogSink {
  readonly kind = 'stdout' as const;
  private readonly out: NodeJS.WritableStream;

  constructor(options: StdoutSinkOptions = {}) {
    this.out = options.out ?? process.stdout;
  }

  async openChunk(_file: LogFileRef, chunk: number): Promise<ChunkWriter> {
    return new StreamChunkWriter(this.out, chunk);
  }

  async completeFile(_file: LogFileRef, _summary: FileSummary): Promise<void> {}

  describe(): string {
    return this.out === process.stdout ? 'stdout (NDJSON)' : 'stream (NDJSON)';
  }

  async close(): Promise<void> {}
}

class StreamChunkWriter implements ChunkWriter {
  private readonly lines = new LineBuffer();
  private rows = 0;
  private bytes = 0;
  private closed = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly chunk: number,
  ) {}

  write(line: string): void | Promise<void> {
    if (this.closed) throw new Error('stdout sink: chunk already committed or aborted');
    this.rows++;
    if (this.lines.add(line)) return this.flush();
  }

  writeBlock(block: Buffer, lines: number): void | Promise<void> {
    if (this.closed) throw new Error('stdout sink: chunk already committed or aborted');
    this.rows += lines;
    const own = Buffer.from(block); // queued in the stream: the caller reuses `block`
    const pending = this.flush(); // keep line order: buffered lines first
    if (pending !== undefined) return pending.then(() => this.put(own));
    return this.put(own);
  }

  async commit(): Promise<ChunkReceipt> {
    if (this.closed) throw new Error('stdout sink: chunk already committed or aborted');
    this.closed = true;
    // Wait until the stream has taken everything written for this chunk (an empty write queues behind it).
    const block = this.lines.take() ?? Buffer.alloc(0);
    this.bytes += block.length;
    await new Promise<void>((resolve, reject) => {
      this.out.write(block, (err) => (err ? reject(err) : resolve()));
    });
    return { chunk: this.chunk, rows: this.rows, bytes: this.bytes };
  }

  async abort(): Promise<void> {
    // Lines already written stay written (see the sink's note on duplicates); buffered ones are dropped.
    this.closed = true;
    this.lines.clear();
  }

  /** Writes the buffered block. */
  private flush(): void | Promise<void> {
    const block = this.lines.take();
    if (block !== undefined) return this.put(block);
  }

  /** Writes a block; the promise (only when the stream is full) resolves on drain. */
  private put(block: Buffer): void | Promise<void> {
    this.bytes += block.length;
    if (!this.out.write(block)) return once(this.out as NodeJS.EventEmitter, 'drain').then(() => undefined);
  }
}
