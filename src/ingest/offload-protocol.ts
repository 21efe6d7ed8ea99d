import crypto, { type Hash } from 'node:crypto';
import { TextEncoder } from 'node:util';
import { createRowNormalizer, type NormalizeContext, type NormalizeOptions } from '../events/normalize';
import { unpackValues, type PackedValues } from '../events/packed-values';
import type { PackedRecordBatch } from '../events/parse-log-file';
import type { RowIdState } from '../events/row-id';

/**
 * Messages between the ingest pipeline and the normalize worker threads, and the (pure) code on each side.
 *
 * A worker thread normalizes several files at once, each a `stream` of its own (an id unique in the process): every
 * message names its stream, and the worker answers a stream's messages in the order they came.
 *
 * Records cross the thread boundary packed, as the parser packs them (see `PackedValues`): the UTF-8 bytes of
 * a batch's valid rows' values plus their lengths, transferred, not copied. The parsing thread never decodes a
 * value it hands over; the worker decodes a batch's values in one call. It answers with the batch's event lines
 * as one UTF-8 block, transferred too.
 *
 * When the sink records chunk digests, the worker also hashes the lines of every chunk that starts after it does,
 * as it encodes them, and answers with each chunk's sha256; the `end` message collects the last chunk's.
 */

export interface InitMessage {
  type: 'init';
  stream: number;
  context: NormalizeContext;
  header: readonly string[];
  options: Pick<NormalizeOptions, 'fieldNames' | 'fieldTypes' | 'occurrenceWindow'>;
  /** The row-id window so far: the worker continues exactly where the pipeline's own normalizer stopped. */
  rowIdState: RowIdState;
  /** Hash chunks of `chunkRows` lines, the first one starting after `linesInChunk` more lines (0: at once). */
  hashChunks?: { chunkRows: number; linesInChunk: number };
}

/**
 * A batch as the parser packed it (malformed records are structured-cloned: plain objects). Rows numbered up to
 * `skipThrough` were committed by an earlier attempt: they only advance the row-id window.
 */
export interface BatchMessage extends PackedRecordBatch {
  type: 'batch';
  stream: number;
  skipThrough: number;
}

/** No more batches: answered with the digest of the last (partial) chunk, if one is being hashed. */
export interface EndMessage {
  type: 'end';
  stream: number;
}

/** The stream is done (finished or given up): the worker forgets it. Not answered. */
export interface CloseMessage {
  type: 'close';
  stream: number;
}

/** What a worker thread receives. */
export type ToWorkerMessage = InitMessage | BatchMessage | EndMessage | CloseMessage;

/** The event lines of one batch (each newline-terminated), or empty when the batch had nothing to write. */
export interface ResultMessage {
  type: 'result';
  stream: number;
  block: Uint8Array;
  lines: number;
  /** sha256 (hex) of each chunk whose last line is in this block (or, answering `end`, of the last chunk). */
  digests: string[];
  /** The batch's packed values, handed back (transferred) for the parser to reuse; absent answering `end`. */
  spent?: PackedValues;
}

/** A stream's message failed: the stream is unusable, the worker's other streams carry on. */
export interface ErrorMessage {
  type: 'error';
  stream: number;
  message: string;
  stack?: string;
}

/** The buffers of packed values, which cross between the threads transferred. */
function valueBuffers(values: PackedValues): ArrayBuffer[] {
  return [values.bytes.buffer, values.lengths.buffer] as ArrayBuffer[];
}

/** The buffers a batch message transfers to the worker. */
export function transferList(batch: BatchMessage): ArrayBuffer[] {
  return valueBuffers(batch.values);
}

/** The buffers a result transfers back: its block and the batch's values. */
export function resultTransferList(result: ResultMessage): ArrayBuffer[] {
  const block = result.block.buffer as ArrayBuffer;
  return result.spent === undefined ? [block] : [block, ...valueBuffers(result.spent)];
}

/** The worker side: normalizes packed batches with a normalizer continued from the pipeline's. */
export class PackedBatchNormalizer {
  private readonly normalize;
  private readonly block: BlockBuilder;
  /** Reused for every row: the normalizer does not keep the array. */
  private readonly values: string[];
  private readonly stream: number;

  constructor(init: InitMessage) {
    this.stream = init.stream;
    this.values = new Array<string>(init.header.length).fill('');
    this.block = new BlockBuilder(new TextEncoder(), 1024 * 1024, init.hashChunks);
    this.normalize = createRowNormalizer(init.context, init.header, { ...init.options, rowIdState: init.rowIdState });
  }

  run(batch: BatchMessage): ResultMessage {
    const { firstRow, count, malformed, malformedAt, skipThrough } = batch;
    const { text, lengths } = unpackValues(batch.values);
    const values = this.values;
    const n = values.length;
    const normalize = this.normalize;
    const out = this.block;
    out.reset();
    let pos = 0;
    let li = 0;
    let mi = 0;
    for (let row = firstRow; row < firstRow + count; row++) {
      const write = row > skipThrough;
      if (row === malformedAt[mi]) {
        const record = malformed[mi++];
        if (record === undefined) throw new Error(`batch lists row ${row} as malformed without its record`);
        if (write) out.add(normalize.malformed(record, row));
        else normalize.skipMalformed(record);
        continue;
      }
      const start = pos;
      if (write) {
        for (let k = 0; k < n; k++) {
          const len = lengths[li++] as number;
          values[k] = text.substring(pos, pos + len);
          pos += len + 1;
        }
        out.add(normalize(values, row, text.substring(start, pos - 1)));
      } else {
        for (let k = 0; k < n; k++) pos += (lengths[li++] as number) + 1;
        normalize.skip(text.substring(start, pos - 1));
      }
    }
    const block = out.finish();
    const digests = out.takeDigests();
    return { type: 'result', stream: this.stream, block, lines: out.lines, digests, spent: batch.values };
  }

  /** Answers `end`: the last chunk's digest, if it has lines. */
  end(): ResultMessage {
    this.block.reset();
    this.block.endChunk();
    const digests = this.block.takeDigests();
    return { type: 'result', stream: this.stream, block: new Uint8Array(0), lines: 0, digests };
  }
}

/** Lines per string handed to the encoder: large enough to amortize the call, small enough to stay out of the
 * large-object space (joining a whole batch into one string made every batch a full-GC allocation). */
const GROUP_LINES = 32;

/**
 * UTF-8 encodes a batch's lines into a scratch buffer reused from batch to batch, and hands out an exact-size copy of
 * its own (safe to transfer, unlike pooled Buffers). Allocating a fresh block per batch sized for the worst case
 * (3 bytes per UTF-16 unit) cost more in page faults and garbage collection than the copy.
 *
 * With `hashChunks`, it also hashes the bytes of whole chunks as they are encoded (chunk boundaries fall between
 * lines, so a group is encoded early when a chunk ends inside it).
 */
class BlockBuilder {
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
      // Mid-chunk, the lines before this worker's first are not seen here: that chunk is the sink's to hash.
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

  /** The batch's bytes, copied out of the scratch buffer. */
  finish(): Uint8Array {
    this.flush();
    this.hashUsed();
    return this.buf.slice(0, this.used);
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
