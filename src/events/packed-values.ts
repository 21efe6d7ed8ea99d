/**
 * Packed values: the values of a batch's valid rows as one block of UTF-8, each value followed by a NUL byte, plus
 * each value's length in bytes. It is the form in which the parser hands rows to the normalizer of a large file: one
 * buffer instead of thousands of strings, decoded by the normalizer in one call per batch.
 */
export interface PackedValues {
  /** UTF-8 bytes of the values, each followed by a NUL byte (so rows read as `values.join('\0')`). */
  readonly bytes: Uint8Array;
  /** Byte length of each value, without its NUL. */
  readonly lengths: Uint32Array;
}

const INITIAL_BYTES = 64 * 1024;
const INITIAL_VALUES = 4096;
/** Buffers kept for reuse ({@link ValueBuffer.recycle}): more than the batches a consumer holds at once. */
const MAX_SPARES = 32;

/**
 * The values the tokenizer unescapes, packed as they are read: committed rows first, then the values of the record
 * in progress. When the record ends, the parser commits it (a valid row, to be handed out packed by {@link take}),
 * decodes it into strings ({@link decodeRow}) or drops it (a malformed record).
 *
 * The tokenizer writes value bytes straight into {@link bytes} at {@link end} (after {@link reserve}) and closes
 * each value with {@link endValue}: no call per byte.
 */
export class ValueBuffer {
  /** Committed rows' values in [0, rowEnd), the current record's in [rowEnd, end). */
  bytes: Buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  /** Where the next value byte goes. */
  end = 0;
  private lengths = new Uint32Array(INITIAL_VALUES);
  private values = 0;
  /** Where the current value starts. */
  private valueStart = 0;
  /** Buffers of batches handed back by their consumer, for {@link take} to reuse. */
  private readonly spareBytes: ArrayBuffer[] = [];
  private readonly spareLengths: ArrayBuffer[] = [];
  /** End of the last committed row, in bytes and in values. */
  private rowEnd = 0;
  private rowValues = 0;

  /** Where the value in progress starts (its bytes run from here to where the writer is). */
  get valueStartsAt(): number {
    return this.valueStart;
  }

  /** Values of the record in progress so far. */
  get recordValues(): number {
    return this.values - this.rowValues;
  }

  /** Makes room for `more` bytes after {@link end}; {@link bytes} may be replaced. */
  reserve(more: number): void {
    const needed = this.end + more;
    if (needed <= this.bytes.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, needed));
    this.bytes.copy(bigger, 0, 0, this.end);
    this.bytes = bigger;
  }

  /** The current value ends at `end` (its bytes written up to there): NUL-terminates and counts it. */
  endValue(end: number): void {
    if (end >= this.bytes.length) {
      this.end = end;
      this.reserve(1);
    }
    this.bytes[end] = 0;
    if (this.values === this.lengths.length) {
      const more = new Uint32Array(this.lengths.length * 2);
      more.set(this.lengths);
      this.lengths = more;
    }
    this.lengths[this.values++] = end - this.valueStart;
    this.end = this.valueStart = end + 1;
  }

  /** The record in progress is a valid row: it stays, to be handed out by {@link take}. */
  commitRow(): void {
    this.rowEnd = this.valueStart = this.end;
    this.rowValues = this.values;
  }

  /** Forgets the values of the record in progress. */
  dropRow(): void {
    this.end = this.valueStart = this.rowEnd;
    this.values = this.rowValues;
  }

  /** The record in progress as strings; its values are then dropped. */
  decodeRow(): string[] {
    const text = this.bytes.toString('utf8', this.rowEnd, this.end);
    const lengths = this.lengths.subarray(this.rowValues, this.values);
    const out = new Array<string>(lengths.length);
    if (text.length === this.end - this.rowEnd) {
      // All ASCII (the usual case): byte lengths are code-unit lengths.
      let pos = 0;
      for (let k = 0; k < lengths.length; k++) {
        const len = lengths[k] as number;
        out[k] = text.substring(pos, pos + len);
        pos += len + 1;
      }
    } else {
      let pos = this.rowEnd;
      for (let k = 0; k < lengths.length; k++) {
        const len = lengths[k] as number;
        out[k] = this.bytes.toString('utf8', pos, pos + len);
        pos += len + 1;
      }
    }
    this.dropRow();
    return out;
  }

  /** Packs a valid row whose values arrived as strings, and commits it. */
  packRow(values: readonly string[]): void {
    for (const value of values) {
      // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
      this.reserve(value.length * 3 + 1);
      this.endValue(this.end + this.bytes.write(value, this.end, 'utf8'));
    }
    this.commitRow();
  }

  /**
   * The committed rows' values, in buffers of their own (the parser goes on writing into its own), reused from
   * batches handed back with {@link recycle} when there are some; the record in progress is kept.
   */
  take(): PackedValues {
    const bytes = new Uint8Array(spare(this.spareBytes, this.rowEnd), 0, this.rowEnd);
    bytes.set(this.bytes.subarray(0, this.rowEnd));
    const lengths = new Uint32Array(spare(this.spareLengths, this.rowValues * 4), 0, this.rowValues);
    lengths.set(this.lengths.subarray(0, this.rowValues));
    this.bytes.copyWithin(0, this.rowEnd, this.end);
    this.lengths.copyWithin(0, this.rowValues, this.values);
    this.end -= this.rowEnd;
    this.valueStart -= this.rowEnd;
    this.values -= this.rowValues;
    this.rowEnd = this.rowValues = 0;
    return { bytes, lengths };
  }

  /**
   * A batch from {@link take} that its consumer is done with (it came back from the thread it was transferred to):
   * its buffers serve later batches. On a large file, a fresh pair of buffers per batch is gigabytes of memory that
   * only garbage collection (in whichever thread holds them last) gives back.
   */
  recycle(values: PackedValues): void {
    if (this.spareBytes.length < MAX_SPARES) this.spareBytes.push(values.bytes.buffer as ArrayBuffer);
    if (this.spareLengths.length < MAX_SPARES) this.spareLengths.push(values.lengths.buffer as ArrayBuffer);
  }
}

/**
 * A spare buffer of at least `bytes` bytes, or a new one with room to spare (spares too small are let go). An empty
 * batch takes none: it is not handed over, so its buffer would not come back.
 */
function spare(spares: ArrayBuffer[], bytes: number): ArrayBuffer {
  if (bytes === 0) return new ArrayBuffer(0);
  for (let buffer = spares.pop(); buffer !== undefined; buffer = spares.pop()) {
    if (buffer.byteLength >= bytes) return buffer;
  }
  return new ArrayBuffer(Math.ceil((bytes * 1.25) / 16384) * 16384);
}

/**
 * The receiving side: the values as one string and their lengths in UTF-16 code units, so that value k is a
 * `substring` of the text. One decode per batch instead of one per value.
 */
export function unpackValues(packed: PackedValues): { text: string; lengths: Uint32Array } {
  const { bytes } = packed;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString();
  // All ASCII (the usual case): byte lengths are code-unit lengths.
  if (text.length === bytes.byteLength) return { text, lengths: packed.lengths };
  const lengths = new Uint32Array(packed.lengths.length);
  let pos = 0;
  for (let k = 0; k < lengths.length; k++) {
    const end = pos + (packed.lengths[k] as number);
    let units = 0;
    for (; pos < end; pos++) {
      const b = bytes[pos] as number;
      // One unit per character (continuation bytes 10xxxxxx add none); a 4-byte sequence is a surrogate pair.
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    lengths[k] = units;
    pos++; // the NUL
  }
  return { text, lengths };
}
