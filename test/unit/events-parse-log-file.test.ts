import { Readable } from 'node:stream';
import { MalformedRecord } from '../../src/events/malformed-record';
import { LogFileFormatError, readLogFile } from '../../src/events/parse-log-file';
import { fixture, parseAll } from './events-test-helpers';

/** A comparable view of parsed records (MalformedRecord instances as plain objects). */
function plain(records: ReturnType<typeof parseAll>['records']): unknown[] {
  return records.map(({ row, record }) => ({ row, record: Array.isArray(record) ? record : { ...record } }));
}

describe('LogFileParser', () => {
  it('maps rows by the header and numbers data rows from 1', () => {
    const { header, records } = parseAll(fixture('logout.csv'));
    expect(header).toHaveLength(21);
    expect(header?.[0]).toBe('EVENT_TYPE');
    expect(records.map((r) => r.row)).toEqual([1, 2]);
    expect(records[1]?.record).toEqual([
      'Logout',
      '20231218081500.000',
      '',
      '00D5j00000DgAYG',
      '0055j00000AT8L3',
      'S',
      'A',
      '1',
      '',
      '',
      '',
      '2514',
      '',
      'E',
      '59.0',
      '0',
      '',
      'Zx9Cv8Bn7Mm6Aa5S',
      '2023-12-18T08:15:00.000Z',
      '0055j00000AT8L3AAN',
      'Salesforce.com IP',
    ]);
  });

  it('reads doubled quotes, commas and line breaks inside quoted values, and CRLF files', () => {
    const login = parseAll(fixture('login.csv')).records[1]?.record as string[];
    expect(login[14]).toBe(
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "Chrome" 120.0',
    );
    expect(login[17]).toBe('zoë.müller@例え.jp');
    const uri = parseAll(fixture('uri-crlf.csv'));
    expect(uri.records).toHaveLength(2);
    const first = uri.records[0]?.record as string[];
    expect(first[14]).toBe('https://acme.lightning.force.com/lightning/page/home\r\nsecond line, with a comma');
    expect(first[20]).toBe('surprise');
    expect(uri.header?.[20]).toBe('NEW_COLUMN_X'); // no stray \r on the last header name
  });

  it('gives the same records whatever the chunking (multi-byte characters and CRLF split across chunks)', () => {
    for (const name of ['login.csv', 'uri-crlf.csv', 'malformed-middle.csv', 'malformed-end.csv']) {
      const whole = plain(parseAll(fixture(name)).records);
      for (const size of [1, 2, 3, 7, 64]) expect(plain(parseAll(fixture(name), size).records)).toEqual(whole);
    }
  });

  it('packs the same rows as it decodes, whatever the chunking and wherever packing starts', () => {
    const cases: [string, Buffer, Parameters<typeof parseAll>[2]?][] = [
      ...[
        'login.csv',
        'login-as.csv',
        'uri-crlf.csv',
        'malformed-middle.csv',
        'malformed-end.csv',
        'duplicates.csv',
      ].map((name): [string, Buffer] => [name, fixture(name)]),
      ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('logout.csv')])],
      // Multi-byte characters of every width, a surrogate pair, empty values, a NUL and a quoted line break.
      ['unicode', Buffer.from('"A","B","C"\n"ä","例え","😀x"\n"","",""\n"a\u0000b","\n","z"\n"last","row","😀"')],
      [
        'invalid UTF-8',
        Buffer.concat([Buffer.from('"A","B"\n"1","x'), Buffer.from([0xff]), Buffer.from('"\n"2","ok"\n')]),
      ],
      [
        'runaway',
        Buffer.from(`"A","B"\n"1","unterminated\n${'no quotes here\n'.repeat(30)}"2","fine"\n`),
        { maxRecordBytes: 200 },
      ],
      ['huge malformed', Buffer.from(`"A","B"\n"x","${'y'.repeat(5000)}","z"\n"1","2"\n`), { maxRawBytes: 1000 }],
    ];
    for (const [name, data, options] of cases) {
      for (const size of [1, 3, 7, 64, Infinity]) {
        // (Where a runaway value is cut depends on the chunking, so compare like with like.)
        const expected = plain(parseAll(data, size, options).records);
        for (const packFrom of [0, 5, Math.floor(data.length / 3), Math.floor(data.length / 2), data.length]) {
          const got = parseAll(data, size, options, packFrom);
          expect({ name, size, packFrom, records: plain(got.records) }).toEqual({
            name,
            size,
            packFrom,
            records: expected,
          });
        }
      }
    }
  });

  it('strips a UTF-8 byte order mark, even when it arrives a byte at a time', () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('logout.csv')]);
    const expected = parseAll(fixture('logout.csv'));
    for (const size of [1, 2, Infinity]) {
      const got = parseAll(data, size);
      expect(got.header).toEqual(expected.header);
      expect(plain(got.records)).toEqual(plain(expected.records));
    }
  });

  it('reports each malformed row with what is wrong and its raw text, and keeps parsing after it', () => {
    const { records } = parseAll(fixture('malformed-middle.csv'));
    expect(records).toHaveLength(9);
    const valid = records.filter((r) => Array.isArray(r.record)).map((r) => [r.row, (r.record as string[])[2]]);
    expect(valid).toEqual([
      [1, 'r1'],
      [4, 'r4'],
      [6, 'r6'],
      [9, 'r9'],
    ]);
    const bad = records.filter((r) => r.record instanceof MalformedRecord).map((r) => ({ row: r.row, ...r.record }));
    expect(bad).toEqual([
      {
        row: 2,
        code: 'COLUMN_COUNT',
        error: 'expected 5 columns, got 4',
        raw: '"Logout","20231218110002.000","r2","b@acme.example"',
        offset: 125,
        length: 51,
        rawTruncated: false,
        rawBase64: undefined,
      },
      {
        row: 3,
        code: 'CSV_INVALID_CLOSING_QUOTE',
        error: 'a quote inside a quoted value is not doubled, or a quoted value is not terminated',
        raw: '"Logout","20231218110003.000","r3","c@acme.example,"10.0.0.3"',
        offset: 177,
        length: 61,
        rawTruncated: false,
        rawBase64: undefined,
      },
      {
        // Unterminated in the middle of the file: only its own line is lost, the next line parses.
        row: 5,
        code: 'CSV_INVALID_CLOSING_QUOTE',
        error: 'a quote inside a quoted value is not doubled, or a quoted value is not terminated',
        raw: '"Logout","20231218110005.000","r5","e@acme.example","10.0.0.5',
        offset: 302,
        length: 61,
        rawTruncated: false,
        rawBase64: undefined,
      },
      {
        row: 7,
        code: 'COLUMN_COUNT',
        error: 'expected 5 columns, got 6',
        raw: '"Logout","20231218110007.000","r7","g@acme.example","10.0.0.7","extra"',
        offset: 427,
        length: 70,
        rawTruncated: false,
        rawBase64: undefined,
      },
      {
        row: 8,
        code: 'INVALID_UTF8',
        error: 'invalid UTF-8 at byte 537 of the file',
        raw: '"Logout","20231218110008.000","r8","bad\ufffdname@acme.example","10.0.0.8"',
        offset: 498,
        length: 69,
        rawTruncated: false,
        rawBase64: Buffer.from(
          '"Logout","20231218110008.000","r8","bad\xffname@acme.example","10.0.0.8"',
          'latin1',
        ).toString('base64'),
      },
    ]);
  });

  it('reports an unterminated quoted value at the end of the file', () => {
    const { records } = parseAll(fixture('malformed-end.csv'));
    expect(records.map((r) => r.row)).toEqual([1, 2]);
    expect({ ...records[1]?.record }).toMatchObject({
      code: 'CSV_QUOTE_NOT_CLOSED',
      error: 'a quoted value is not terminated at the end of the file',
      raw: '"Logout","20231218120002.000","r2","b@acme.example","10.0.0.2',
    });
  });

  it('cuts a runaway quoted value at maxRecordBytes and recovers on the next line', () => {
    const lines = ['"A","B"', '"1","unterminated'];
    for (let i = 0; i < 50; i++) lines.push(`no quotes on this line ${i}`);
    lines.push('"2","fine"');
    const { records } = parseAll(Buffer.from(lines.join('\n') + '\n'), 16, { maxRecordBytes: 200 });
    const last = records[records.length - 1];
    expect(last?.record).toEqual(['2', 'fine']);
    const first = records[0]?.record as MalformedRecord;
    expect(first.code).toBe('RECORD_TOO_LONG');
    expect(first.raw.startsWith('"1","unterminated\nno quotes on this line 0')).toBe(true);
    // Every byte is accounted for: raw texts and rows together cover all lines.
    const covered = records.map((r) => (Array.isArray(r.record) ? r.record.join() : r.record.raw)).join('\n');
    for (let i = 0; i < 50; i++) expect(covered).toContain(`no quotes on this line ${i}`);
  });

  it('caps the raw text of a huge malformed record', () => {
    const data = Buffer.from(`"A","B"\n"x","${'y'.repeat(5000)}","z"\n"1","2"\n`);
    const { records } = parseAll(data, 100, { maxRawBytes: 1000 });
    const bad = records[0]?.record as MalformedRecord;
    expect(bad.code).toBe('COLUMN_COUNT');
    expect(bad.rawTruncated).toBe(true);
    expect(bad.raw).toHaveLength(1000);
    expect(bad.length).toBe(5010);
    expect(records[1]?.record).toEqual(['1', '2']);
  });

  it('handles a missing final line break, blank lines, an empty file and a header-only file', () => {
    expect(parseAll(Buffer.from('"A","B"\n"1","2"')).records).toEqual([{ row: 1, record: ['1', '2'] }]);
    expect(parseAll(Buffer.from('"A","B"\n\n"1","2"\n\n')).records).toEqual([{ row: 1, record: ['1', '2'] }]);
    expect(parseAll(Buffer.alloc(0))).toEqual({ header: undefined, records: [] });
    expect(parseAll(Buffer.from('"A","B"\n'))).toEqual({ header: ['A', 'B'], records: [] });
  });

  it('falls back to LogFileFieldNames when the header line is broken, and fails without them', () => {
    const data = Buffer.from('"A","B"x\n"1","2"\n');
    const { header, records } = parseAll(data, Infinity, { fallbackHeader: ['A', 'B'] });
    expect(header).toEqual(['A', 'B']);
    expect(records.map((r) => (Array.isArray(r.record) ? r.record : r.record.code))).toEqual([
      'CSV_INVALID_CLOSING_QUOTE',
      ['1', '2'],
    ]);
    expect(() => parseAll(data)).toThrow(LogFileFormatError);
  });

  it('flags a character truncated at the end of the file as invalid UTF-8', () => {
    const data = Buffer.concat([Buffer.from('"A","B"\n1,x'), Buffer.from([0xe4])]);
    for (const size of [1, Infinity]) {
      const { records } = parseAll(data, size);
      expect((records[0]?.record as MalformedRecord).code).toBe('INVALID_UTF8');
    }
  });

  it('streams batches from a byte stream with readLogFile', async () => {
    const batches = [];
    for await (const b of readLogFile(Readable.from([fixture('logout.csv')]), { fileId: 'F1' })) batches.push(b);
    // One batch per chunk: the file's last line ending completes its last row.
    expect(batches.map((b) => [b.firstRow, b.records.length])).toEqual([[1, 2]]);
    expect(batches[0]?.header[20]).toBe('CLIENT_IP');
  });
});
