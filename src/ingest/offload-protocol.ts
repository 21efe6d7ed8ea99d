import { TextEncoder } from 'node:util';
import type { MalformedRecord } from '../events/malformed-record';
import { createRowNormalizer, type NormalizeContext, type NormalizeOptions } from '../events/normalize';
import { unpackValues } from '../events/packed-values';
import type { PackedRecordBatch } from '../events/parse-log-file';
import type { RowIdState } from '../events/row-id';

/**
 * Messages between the ingest pipeline and its normalize worker thread, and the (pure) code on each side.
 *
 * Records cross the thread boundary packed, as the parser packs them (see `PackedValues`): the UTF-8 bytes of
 * a batch's valid rows' values plus their lengths, transferred, not copied. The parsing thread never decodes a
 * value it hands over; the worker decodes a batch's values in one call. It answers with the batch's event lines
 * as one UTF-8 block, transferred too.
 */

/** What to do with each record of a batch. */
export const WRITE = 0;
export const SKIP = 1;
export const MALFORMED_WRITE = 2;
export const MALFORMED_SKIP = 3;

export interface InitMessage {
  type: 'init';
  context: NormalizeContext;
  header: readonly string[];
  options: Pick<NormalizeOptions, 'fieldNames' | 'fieldTypes' | 'occurrenceWindow'>;
  /** The row-id window so far: the worker continues exactly where the pipeline's own normalizer stopped. */
  rowIdState: RowIdState;
}

export interface BatchMessage {
  type: 'batch';
  firstRow: number;
  /** Per record: WRITE, SKIP, MALFORMED_WRITE or MALFORMED_SKIP. */
  actions: Uint8Array;
  /** UTF-8 bytes of the valid records' values, each followed by a NUL byte. */
  values: Uint8Array;
  /** Byte length of each value, record after record. */
  lengths: Uint32Array;
  /** The malformed records, in order (structured-cloned: plain objects). */
  malformed: MalformedRecord[];
  /** Number of lines the worker will return (records to write). */
  lines: number;
}

/** The event lines of one batch (each newline-terminated), or empty when the batch had nothing to write. */
export interface ResultMessage {
  type: 'result';
  block: Uint8Array;
  lines: number;
}

export interface ErrorMessage {
  type: 'error';
  message: string;
  stack?: string;
}

/** The message for a packed batch; rows numbered up to `skipThrough` only advance the row-id window. */
export function batchMessage(batch: PackedRecordBatch, skipThrough: number): BatchMessage {
  const { firstRow, count, malformedAt } = batch;
  const actions = new Uint8Array(count);
  for (const row of malformedAt) actions[row - firstRow] = MALFORMED_WRITE;
  let lines = 0;
  for (let i = 0; i < count; i++) {
    const skip = firstRow + i <= skipThrough;
    if (skip) actions[i] = actions[i] === MALFORMED_WRITE ? MALFORMED_SKIP : SKIP;
    else lines++;
  }
  const { bytes, lengths } = batch.values;
  return { type: 'batch', firstRow, actions, values: bytes, lengths, malformed: [...batch.malformed], lines };
}

/** The buffers a batch message transfers to the worker. */
export function transferList(batch: BatchMessage): ArrayBuffer[] {
  return [batch.values.buffer, batch.lengths.buffer, batch.actions.buffer] as ArrayBuffer[];
}

/** The worker side: normalizes packed batches with a normalizer continued from the pipeline's. */
export class PackedBatchNormalizer {
  private readonly normalize;
  private readonly block = new BlockBuilder(new TextEncoder(), 1024 * 1024);
  /** Reused for every row: the normalizer does not keep the array. */
  private readonly values: string[];

  constructor(init: InitMessage) {
    this.values = new Array<string>(init.header.length).fill('');
    this.normalize = createRowNormalizer(init.context, init.header, { ...init.options, rowIdState: init.rowIdState });
  }

  run(batch: BatchMessage): ResultMessage {
    const { actions, malformed } = batch;
    const { text, lengths } = unpackValues({ bytes: batch.values, lengths: batch.lengths });
    const values = this.values;
    const n = values.length;
    const normalize = this.normalize;
    const out = this.block;
    out.reset();
    let pos = 0;
    let li = 0;
    let mi = 0;
    for (let i = 0; i < actions.length; i++) {
      const action = actions[i];
      if (action === WRITE || action === SKIP) {
        const start = pos;
        if (action === WRITE) {
          for (let k = 0; k < n; k++) {
            const len = lengths[li++] as number;
            values[k] = text.substring(pos, pos + len);
            pos += len + 1;
          }
          out.add(normalize(values, batch.firstRow + i, text.substring(start, pos - 1)));
        } else {
          for (let k = 0; k < n; k++) pos += (lengths[li++] as number) + 1;
          normalize.skip(text.substring(start, pos - 1));
        }
      } else {
        const record = malformed[mi++] as MalformedRecord;
        if (action === MALFORMED_WRITE) out.add(normalize.malformed(record, batch.firstRow + i));
        else normalize.skipMalformed(record);
      }
    }
    return { type: 'result', block: out.finish(), lines: out.lines };
  }
}

/** Lines per string handed to the encoder: large enough to amortize the call, small enough to stay out of the
 * large-object space (joining a whole batch into one string made every batch a full-GC allocation). */
const GROUP_LINES = 32;

/**
 * UTF-8 encodes a batch's lines into a scratch buffer reused from batch to batch, and hands out an exact-size copy of
 * its own (safe to transfer, unlike pooled Buffers). Allocating a fresh block per batch sized for the worst case
 * (3 bytes per UTF-16 unit) cost more in page faults and garbage collection than the copy.
 */
class BlockBuilder {
  private buf: Uint8Array;
  private used = 0;
  private group: string[] = [];
  lines = 0;

  constructor(
    private readonly encoder: TextEncoder,
    initialCapacity: number,
  ) {
    this.buf = new Uint8Array(initialCapacity);
  }

  /** Starts a new batch. */
  reset(): void {
    this.used = 0;
    this.lines = 0;
    this.group = [];
  }

  add(line: string): void {
    this.group.push(line);
    this.lines++;
    if (this.group.length === GROUP_LINES) this.flush();
  }

  /** The batch's bytes, copied out of the scratch buffer. */
  finish(): Uint8Array {
    this.flush();
    return this.buf.slice(0, this.used);
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
