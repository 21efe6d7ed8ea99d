import { ValueBuffer, unpackValues } from '../../src/events/packed-values';

/** Writes `text` as the next value, as the tokenizer does: bytes at `end`, then `endValue`. */
function value(values: ValueBuffer, text: string): void {
  const bytes = Buffer.from(text);
  values.reserve(bytes.length + 1);
  bytes.copy(values.bytes, values.end);
  values.endValue(values.end + bytes.length);
}

describe('packed values', () => {
  it('packs committed rows only, and keeps a row in progress for the next batch', () => {
    const values = new ValueBuffer();
    value(values, 'a');
    value(values, 'é');
    values.commitRow();
    value(values, 'dropped');
    values.dropRow();
    value(values, '😀');
    const first = values.take(); // '😀' is provisional: its row is not complete
    expect(unpackValues(first)).toEqual({ text: 'a\0é\0', lengths: Uint32Array.of(1, 1) });
    value(values, 'z');
    values.commitRow();
    expect(unpackValues(values.take())).toEqual({ text: '😀\0z\0', lengths: Uint32Array.of(2, 1) });
  });

  it('decodes the row in progress and forgets it, keeping committed rows', () => {
    const values = new ValueBuffer();
    value(values, 'kept');
    values.commitRow();
    for (const v of ['x', '', 'a\0b']) value(values, v);
    expect(values.recordValues).toBe(3);
    expect(values.decodeRow()).toEqual(['x', '', 'a\0b']);
    for (const v of ['例え', 'ä', '😀']) value(values, v);
    expect(values.decodeRow()).toEqual(['例え', 'ä', '😀']);
    expect(values.recordValues).toBe(0);
    expect(unpackValues(values.take())).toEqual({ text: 'kept\0', lengths: Uint32Array.of(4) });
  });

  it('grows past its initial size without losing a byte', () => {
    const values = new ValueBuffer();
    const big = 'v'.repeat(100_000);
    value(values, big);
    for (let i = 0; i < 5000; i++) value(values, String(i));
    values.commitRow();
    const { text, lengths } = unpackValues(values.take());
    expect(lengths).toHaveLength(5001);
    expect(text).toBe([big, ...Array.from({ length: 5000 }, (_, i) => String(i))].join('\0') + '\0');
  });

  it('gives UTF-16 lengths for multi-byte values', () => {
    const values = new ValueBuffer();
    values.packRow(['例え', '', 'x😀y', 'ä']);
    const packed = values.take();
    expect(Array.from(packed.lengths)).toEqual([6, 0, 6, 2]); // bytes
    expect(unpackValues(packed)).toEqual({ text: '例え\0\0x😀y\0ä\0', lengths: Uint32Array.of(2, 0, 4, 1) });
  });

  it('reuses the buffers of batches handed back, and lets go of spares too small', () => {
    const values = new ValueBuffer();
    values.packRow(['first', 'row']);
    const first = values.take();
    const { buffer: bytesBuffer } = first.bytes;
    const { buffer: lengthsBuffer } = first.lengths;
    values.recycle(first);
    expect(values.take().bytes.byteLength).toBe(0); // an empty batch is never handed over: it takes no spare
    values.packRow(['second', 'row!']);
    const second = values.take();
    expect(second.bytes.buffer).toBe(bytesBuffer);
    expect(second.lengths.buffer).toBe(lengthsBuffer);
    expect(unpackValues(second)).toEqual({ text: 'second\0row!\0', lengths: Uint32Array.of(6, 4) });

    values.recycle(second);
    const big = 'v'.repeat(bytesBuffer.byteLength + 1);
    values.packRow([big]);
    const third = values.take();
    expect(third.bytes.buffer).not.toBe(bytesBuffer);
    expect(unpackValues(third).text).toBe(big + '\0');
  });
});
