import { Parser } from 'csv-parse';
import { ValueBuffer, installValueBuffer, unpackValues } from '../../src/events/packed-values';

describe('packed values', () => {
  it('takes the place of the field buffer of the csv-parse version in use', () => {
    // If csv-parse changes its internals, values are still packed (from decoded strings), only slower: this says so.
    expect(installValueBuffer(new Parser({}), new ValueBuffer())).toBe(true);
    expect(installValueBuffer({ state: {} }, new ValueBuffer())).toBe(false);
  });

  it('packs committed rows only, and keeps a row in progress for the next batch', () => {
    const values = new ValueBuffer();
    values.startPacking();
    const field = (text: string): void => {
      for (const b of Buffer.from(text)) values.append(b);
      expect(values.toString('utf8')).toBe('');
      values.reset();
    };
    field('a');
    field('é');
    values.commitRow();
    field('dropped');
    values.dropRow();
    field('😀');
    const first = values.take(); // '😀' is provisional: its row is not complete
    expect(unpackValues(first)).toEqual({ text: 'a\0é\0', lengths: Uint32Array.of(1, 1) });
    field('z');
    values.commitRow();
    expect(unpackValues(values.take())).toEqual({ text: '😀\0z\0', lengths: Uint32Array.of(2, 1) });
  });

  it('gives UTF-16 lengths for multi-byte values', () => {
    const values = new ValueBuffer();
    values.packRow(['例え', '', 'x😀y', 'ä']);
    const packed = values.take();
    expect(Array.from(packed.lengths)).toEqual([6, 0, 6, 2]); // bytes
    expect(unpackValues(packed)).toEqual({ text: '例え\0\0x😀y\0ä\0', lengths: Uint32Array.of(2, 0, 4, 1) });
  });
});
