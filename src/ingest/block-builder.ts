import crypto, { type Hash } from 'node:crypto';
import type { TextEncoder } from 'node:util';

/** Lines per string handed to the encoder: large enough to amortize the call, small enough to stay out of the
 * large-object space (joining a whole batch into one string made every batch a full-GC allocation). */
const GROUP_LINES = 32;
/** Spare blocks kept: more than the blocks a stream has in flight. */
const MAX_SPARE_BLOCKS = 64;

/**
 * The buffers event blocks travel in, reused once the ingesting thread has written them. A block per batch freed
 * only by garbage collection was, on a large file, gigabytes of memory that the ingesting thread's collector gave
 * back tens of megabytes at a time.
 */
export class BlockPool {
  private readonly spares: ArrayBuffer[] = [];

  /** `bytes` copied into a pooled buffer of their own (transferable, unlike the builder's scratch buffer). */
  copyOf(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength === 0) return new Uint8Array(0);
    let buffer: ArrayBuffer | undefined;
    for (buffer = this.spares.pop(); buffer !== undefined; buffer = this.spares.pop()) {
      if (buffer.byteLength >= bytes.byteLength) break; // spares too small are let go
    }
    buffer ??= new ArrayBuffer(Math.ceil((bytes.byteLength * 1.25) / 65536) * 65536);
    const block = new Uint8Array(buffer, 0, bytes.byteLength);
    block.set(bytes);
    return block;
  }

  give(buffer: ArrayBuffer): void {
    if (this.spares.length < MAX_SPARE_BLOCKS) this.spares.push(buffer);
  }
}

/**
 * UTF-8 encodes a batch's lines into a scratch buffer reused from batch to batch, for a copy in a pooled block.
 * Allocating a fresh block per batch sized for the worst case (3 bytes per UTF-16 unit) cost more in page faults and
 * garbage collection than the copy.
 *
 * With `hashChunks`, it also hashes the bytes of whole chunks as they are encoded (chunk boundaries fall between
 * lines, so a group is encoded early when a chunk ends inside it).
 */
export class BlockBuilder {
  private buf: Uint8Array;
  private used = 0;
  private group: string[] = [];
  lines = 0;
  /** The chunk being hashed (undefined before the first boundary, or without `hashChunks`). */
  private hash: Hash | undefined;
  /** Lines until the current chunk ends. */
  private linesLeft = Infinity;
  /** Bytes of this batch already hashed. */
  private hashedTo = 0;
  private digests: string[] = [];

  constructor(
    private readonly encoder: TextEncoder,
    initialCapacity: number,
    private readonly hashChunks?: { chunkRows: number; linesInChunk: number },
  ) {
    this.buf = new Uint8Array(initialCapacity);
    if (hashChunks !== undefined) {
      const { chunkRows, linesInChunk } = hashChunks;
      this.linesLeft = chunkRows - linesInChunk;
      // Mid-chunk, the lines before this builder's first are not seen here: that chunk is the sink's to hash.
      if (linesInChunk === 0) this.hash = crypto.createHash('sha256');
    }
  }

  /** Starts a new batch. */
  reset(): void {
    this.used = 0;
    this.hashedTo = 0;
    this.lines = 0;
    this.group = [];
  }

  add(line: string): void {
    this.group.push(line);
    this.lines++;
    if (--this.linesLeft === 0) this.endChunk();
    else if (this.group.length === GROUP_LINES) this.flush();
  }

  /** Ends the current chunk: its digest, if it was hashed from its start, and the next chunk's hash begins. */
  endChunk(): void {
    if (this.hashChunks === undefined) return;
    const { chunkRows } = this.hashChunks;
    this.flush();
    this.hashUsed();
    if (this.hash !== undefined && this.linesLeft !== chunkRows) this.digests.push(this.hash.digest('hex'));
    this.hash = crypto.createHash('sha256');
    this.linesLeft = chunkRows;
  }

  /** The batch's bytes, in the scratch buffer (valid until the next batch). */
  finish(): Uint8Array {
    this.flush();
    this.hashUsed();
    return this.buf.subarray(0, this.used);
  }

  takeDigests(): string[] {
    const digests = this.digests;
    this.digests = [];
    return digests;
  }

  private hashUsed(): void {
    if (this.hash !== undefined && this.used > this.hashedTo)
      this.hash.update(this.buf.subarray(this.hashedTo, this.used));
    this.hashedTo = this.used;
  }

  private flush(): void {
    if (this.group.length === 0) return;
    const text = this.group.join('\n') + '\n';
    this.group = [];
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    if (this.buf.length - this.used < text.length * 3) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.used + text.length * 3));
      bigger.set(this.buf.subarray(0, this.used));
      this.buf = bigger;
    }
    this.used += this.encoder.encodeInto(text, this.buf.subarray(this.used)).written;
  }
}
