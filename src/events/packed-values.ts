/**
 * Packed values: the values of a batch's valid rows as one block of UTF-8, each value followed by a NUL byte, plus
 * each value's length in bytes. It is the form in which rows cross to the normalize worker thread: one transferable
 * buffer instead of thousands of strings, and the parsing thread never decodes a value it only passes on.
 */
export interface PackedValues {
  /** UTF-8 bytes of the values, each followed by a NUL byte (so rows read as `values.join('\0')`). */
  readonly bytes: Uint8Array;
  /** Byte length of each value, without its NUL. */
  readonly lengths: Uint32Array;
}

/** Buffer's native UTF-8 decoder, which `toString('utf8', start, end)` calls after checking its arguments. */
const utf8Slice = (Buffer.prototype as unknown as { utf8Slice: (start: number, end: number) => string }).utf8Slice;

const INITIAL_BYTES = 64 * 1024;
const INITIAL_VALUES = 4096;

/**
 * A stand-in for csv-parse's field buffer (`state.field`, csv-parse 6.x), which csv-parse fills byte by byte with a
 * value's unescaped bytes and then asks for the value as a string.
 *
 * Unpacked, it decodes the value in place, as csv-parse's own buffer does but without a Buffer view per value.
 * Packing, the bytes are already where they must end up: each value is terminated in place and counted, and
 * csv-parse gets an empty string. Values of a row stay provisional until the parser commits the row (a valid row)
 * or drops it (a malformed row, a quoting error); {@link take} hands out the committed rows.
 *
 * Packing starts and ends only between records (see {@link startPacking}).
 */
export class ValueBuffer {
  /** Bytes of the current value so far; csv-parse reads it. */
  length = 0;
  private buf = Buffer.allocUnsafe(INITIAL_BYTES);
  /** Where the current value starts: 0 when unpacked. */
  private start = 0;
  private packing = false;
  private lengths = new Uint32Array(INITIAL_VALUES);
  private values = 0;
  /** End of the last committed row, in bytes and in values. */
  private rowEnd = 0;
  private rowValues = 0;

  get isPacking(): boolean {
    return this.packing;
  }

  /** From the next value on, values are packed; call it between records. */
  startPacking(): void {
    this.dropRow();
    this.packing = true;
  }

  // --- csv-parse's side (the methods and property its field buffer has) ---

  append(byte: number): void {
    const at = this.start + this.length++;
    if (at >= this.buf.length) this.grow(at + 1);
    this.buf[at] = byte;
  }

  /** csv-parse prepends only with `relax_quotes`; kept for completeness. */
  prepend(val: Buffer | number): void {
    const bytes = typeof val === 'number' ? Buffer.of(val) : val;
    const end = this.start + this.length;
    if (end + bytes.length > this.buf.length) this.grow(end + bytes.length);
    this.buf.copyWithin(this.start + bytes.length, this.start, end);
    bytes.copy(this.buf, this.start);
    this.length += bytes.length;
  }

  toString(encoding?: BufferEncoding): string | Uint8Array {
    const end = this.start + this.length;
    if (encoding === undefined) return Uint8Array.prototype.slice.call(this.buf, this.start, end);
    if (encoding !== 'utf8') return this.buf.toString(encoding, this.start, end);
    if (!this.packing) return utf8Slice.call(this.buf, this.start, end);
    this.terminate(this.length);
    return '';
  }

  reset(): void {
    this.length = 0;
  }

  // --- the parser's side ---

  /** The row whose values were just packed is valid. */
  commitRow(): void {
    this.rowEnd = this.start;
    this.rowValues = this.values;
  }

  /** Forgets the values packed since the last committed row. */
  dropRow(): void {
    this.start = this.rowEnd;
    this.values = this.rowValues;
    this.length = 0;
  }

  /** Packs a valid row whose values were decoded before packing started. */
  packRow(values: readonly string[]): void {
    for (const value of values) {
      // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
      const room = this.start + value.length * 3 + 1;
      if (room > this.buf.length) this.grow(room);
      this.terminate(this.buf.write(value, this.start, 'utf8'));
    }
    this.commitRow();
  }

  /** The committed rows' values, in buffers of their own (safe to transfer); provisional values are kept. */
  take(): PackedValues {
    const bytes = new Uint8Array(this.rowEnd);
    bytes.set(this.buf.subarray(0, this.rowEnd));
    const lengths = this.lengths.slice(0, this.rowValues);
    this.buf.copyWithin(0, this.rowEnd, this.start + this.length);
    this.lengths.copyWithin(0, this.rowValues, this.values);
    this.start -= this.rowEnd;
    this.values -= this.rowValues;
    this.rowEnd = this.rowValues = 0;
    return { bytes, lengths };
  }

  /** Ends the current value (`byteLength` bytes at `start`) with a NUL and counts it. */
  private terminate(byteLength: number): void {
    const end = this.start + byteLength;
    if (end >= this.buf.length) this.grow(end + 1);
    this.buf[end] = 0;
    if (this.values === this.lengths.length) {
      const more = new Uint32Array(this.lengths.length * 2);
      more.set(this.lengths);
      this.lengths = more;
    }
    this.lengths[this.values++] = byteLength;
    this.start = end + 1;
    this.length = 0;
  }

  private grow(minimum: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, minimum));
    this.buf.copy(bigger, 0, 0, this.start + this.length);
    this.buf = bigger;
  }
}

/**
 * Installs `values` as the field buffer of a csv-parse instance, if the instance has the field buffer this was
 * written against (csv-parse 6.x: `state.field` with `append`, `reset`, `toString` and `length`). Otherwise
 * csv-parse keeps its own and values arrive decoded; returns whether it was installed.
 */
export function installValueBuffer(parser: object, values: ValueBuffer): boolean {
  const state = (parser as { state?: { field?: Record<string, unknown> } }).state;
  const field = state?.field;
  if (
    state === undefined ||
    field === undefined ||
    typeof field.append !== 'function' ||
    typeof field.reset !== 'function' ||
    typeof field.toString !== 'function' ||
    field.length !== 0
  ) {
    return false;
  }
  values.reset();
  state.field = values as unknown as Record<string, unknown>;
  return true;
}

/**
 * The receiving side: the values as one string and their lengths in UTF-16 code units, so that value k is a
 * `substring` of the text. One decode per batch instead of one per value.
 */
export function unpackValues(packed: PackedValues): { text: string; lengths: Uint32Array } {
  const { bytes } = packed;
  const text = utf8Slice.call(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.byteLength);
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
