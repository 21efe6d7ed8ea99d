import { TextEncoder } from 'node:util';
import type { MalformedRecord } from '../events/malformed-record';
import { createRowNormalizer, type NormalizeContext, type NormalizeOptions } from '../events/normalize';
import type { ParsedRecord } from '../events/parse-log-file';
import type { RowIdState } from '../events/row-id';

/**
 * Messages between the ingest pipeline and its normalize worker thread, and the (pure) code on each side.
 *
 * Records cross the thread boundary packed: the values of a batch's valid rows in one string (values joined by
 * `\0`, rows joined by `\0`) plus their lengths, since cloning one string costs a memcpy where cloning thousands
 * of small strings costs a serializer call each. The worker answers with the batch's event lines as one UTF-8
 * block whose memory is transferred, not copied.
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
  /** Values of the valid records, joined as described above. */
  text: string;
  /** Length of each value in `text`, record after record. */
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

/** Packs a batch of parsed records; rows numbered up to `skipThrough` only advance the row-id window. */
export function packBatch(firstRow: number, records: readonly ParsedRecord[], skipThrough: number): BatchMessage {
  const actions = new Uint8Array(records.length);
  const malformed: MalformedRecord[] = [];
  let valueCount = 0;
  for (const r of records) if (Array.isArray(r)) valueCount += r.length;
  // Every value of every valid record, in order: one join makes the text (values and rows are both `\0`-separated).
  const values = new Array<string>(valueCount);
  const lengths = new Uint32Array(valueCount);
  let vi = 0;
  let lines = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as ParsedRecord;
    const skip = firstRow + i <= skipThrough;
    if (Array.isArray(r)) {
      actions[i] = skip ? SKIP : WRITE;
      for (let k = 0; k < r.length; k++, vi++) {
        const v = r[k] as string;
        values[vi] = v;
        lengths[vi] = v.length;
      }
    } else {
      actions[i] = skip ? MALFORMED_SKIP : MALFORMED_WRITE;
      malformed.push(r);
    }
    if (!skip) lines++;
  }
  return { type: 'batch', firstRow, actions, text: values.join('\0'), lengths, malformed, lines };
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
    const { actions, text, lengths, malformed } = batch;
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
