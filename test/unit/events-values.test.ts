import {
  kindOfFieldType,
  splitFieldList,
  KIND_BOOLEAN,
  KIND_DATETIME,
  KIND_NUMBER,
  KIND_STRING,
} from '../../src/events/column-types';
import { jsonNumber, jsonString } from '../../src/events/json-text';
import { compactTimestampToIso, normalizeDateTime } from '../../src/events/timestamps';
import { incompleteUtf8Tail, invalidUtf8Offsets } from '../../src/events/utf8';

describe('timestamps', () => {
  it.each([
    ['20130715233322.670', '2013-07-15T23:33:22.670Z'],
    ['20220803011210', '2022-08-03T01:12:10.000Z'],
    ['20211019050707.13', '2021-10-19T05:07:07.130Z'],
    ['20211019050707.1', '2021-10-19T05:07:07.100Z'],
    ['20211019050707.123456', '2021-10-19T05:07:07.123Z'],
  ])('compact TIMESTAMP %s -> %s', (input, iso) => expect(compactTimestampToIso(input)).toBe(iso));

  it.each(['20260230000000', '20261301000000', '2026010125000', '2026-01-01', 'abc', ''])('rejects %j', (input) =>
    expect(compactTimestampToIso(input)).toBeUndefined(),
  );

  it.each([
    ['2015-07-27T11:32:59.555Z', '2015-07-27T11:32:59.555Z'],
    ['2015-07-27T11:32:59Z', '2015-07-27T11:32:59.000Z'],
    ['2015-07-27T11:32:59.5Z', '2015-07-27T11:32:59.500Z'],
    ['2026-11-27T13:00:00.000+0000', '2026-11-27T13:00:00.000Z'],
    ['2026-11-27T15:00:00.000+02:00', '2026-11-27T13:00:00.000Z'],
    ['2026-11-27T13:00:00', '2026-11-27T13:00:00.000Z'],
    ['20130715233322.670', '2013-07-15T23:33:22.670Z'],
  ])('date-time %s -> %s', (input, iso) => expect(normalizeDateTime(input)).toBe(iso));

  it.each(['Tue 1', 'not a date', '2026-99-99T00:00:00Z'])('date-time rejects %j', (input) =>
    expect(normalizeDateTime(input)).toBeUndefined(),
  );
});

describe('JSON text', () => {
  it.each(['plain', 'quote " and \\ backslash', 'line\nbreak\r\t', '\u0000\u001f', 'zoë 例え 😀', '\ud800 lone', ''])(
    'jsonString(%j) equals JSON.stringify',
    (s) => expect(jsonString(s)).toBe(JSON.stringify(s)),
  );

  it.each([
    ['0', '0'],
    ['-12.5', '-12.5'],
    ['1e3', '1e3'],
    ['12345678901234567890', '12345678901234567890'],
    ['007', '7'],
    ['+5', '5'],
    ['.5', '0.5'],
    ['1.', '1'],
    [' 42 ', '42'],
    ['1e999', undefined],
    ['0x1f', undefined],
    ['12abc', undefined],
    ['', undefined],
    ['NaN', undefined],
  ])('jsonNumber(%j) = %j', (input, out) => expect(jsonNumber(input)).toBe(out));
});

describe('column types', () => {
  it('maps declared types case-insensitively, unknown ones to strings', () => {
    expect(kindOfFieldType('Number')).toBe(KIND_NUMBER);
    expect(kindOfFieldType('double')).toBe(KIND_NUMBER);
    expect(kindOfFieldType('BOOLEAN')).toBe(KIND_BOOLEAN);
    expect(kindOfFieldType('DateTime')).toBe(KIND_DATETIME);
    expect(kindOfFieldType('Id')).toBe(KIND_STRING);
    expect(kindOfFieldType('IP')).toBe(KIND_STRING);
    expect(kindOfFieldType('SomethingNew')).toBe(KIND_STRING);
    expect(kindOfFieldType(undefined)).toBe(KIND_STRING);
  });

  it('splits field lists and tells absent from present', () => {
    expect(splitFieldList(' A, B ,C')).toEqual(['A', 'B', 'C']);
    expect(splitFieldList('')).toBeUndefined();
    expect(splitFieldList(undefined)).toBeUndefined();
  });
});

describe('UTF-8 checks', () => {
  it('finds invalid sequences (stray continuation, overlong, surrogate, too large, truncated)', () => {
    const buf = Buffer.from([0x41, 0x80, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xc3, 0xa9, 0xe2, 0x82]);
    expect(invalidUtf8Offsets(buf)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14]);
    expect(invalidUtf8Offsets(Buffer.from('zoë 例え 😀'))).toEqual([]);
  });

  it('measures an incomplete character at the end of a chunk', () => {
    const smile = Buffer.from('😀');
    expect(incompleteUtf8Tail(smile)).toBe(0);
    expect(incompleteUtf8Tail(smile.subarray(0, 3))).toBe(3);
    expect(incompleteUtf8Tail(smile.subarray(0, 1))).toBe(1);
    expect(incompleteUtf8Tail(Buffer.from('abc'))).toBe(0);
  });
});
