import { Parser, type CsvError } from 'csv-parse';
import fc from 'fast-check';
import type { CsvRecordTarget, CsvSyntaxCode, CsvTokenizer, CsvTokenizerFactory } from '../../src/events/csv-tokenizer';
import { LogFileFormatError } from '../../src/events/parse-log-file';
import { parseAll } from './events-test-helpers';

/**
 * The project's CSV tokenizer against csv-parse, the reference: both run under the same `LogFileParser`, so the
 * records, row numbers and malformed-row verdicts (column count, invalid UTF-8, quoting errors, runaway records)
 * must come out equal.
 */

/** csv-parse through its public API, with the options the parser used when it ran on csv-parse. */
class CsvParseTokenizer implements CsvTokenizer {
  failure: CsvSyntaxCode | undefined;
  private readonly parser: Parser;

  constructor(target: CsvRecordTarget) {
    this.parser = new Parser({
      bom: false,
      relax_column_count: true,
      skip_records_with_error: true,
      skip_empty_lines: true,
      max_record_size: 0,
      record_delimiter: ['\r\n', '\n'],
      on_record: (record: string[], context) => {
        target.onRecord(context.bytes, record);
        return null; // consumed here, not queued as stream output
      },
      on_skip: (err: CsvError | undefined) => {
        this.failure = (err?.code ?? 'CSV_PARSE_ERROR') as CsvSyntaxCode;
        throw err ?? new Error('csv-parse error'); // stops this instance; the parser starts a new one
      },
    });
    this.parser.on('error', () => undefined);
  }

  write(piece: Uint8Array): void {
    if (this.failure === undefined) this.parser.write(Buffer.from(piece));
  }

  end(): void {
    if (this.failure === undefined) this.parser.end();
  }
}

const csvParse: CsvTokenizerFactory = (target) => new CsvParseTokenizer(target);

type Outcome = { error: string } | { header: unknown; records: unknown[] };

/** What a user of the parser sees: the header and every record (malformed ones as plain objects), or the error. */
function outcome(run: () => ReturnType<typeof parseAll>): Outcome {
  try {
    const { header, records } = run();
    return {
      header,
      records: records.map(({ row, record }) => ({ row, record: Array.isArray(record) ? record : { ...record } })),
    };
  } catch (err) {
    if (err instanceof LogFileFormatError) return { error: err.message };
    throw err;
  }
}

const HEADER = '"A","B","C"\n';

/** Edge cases of the dialect, each after a three-column header. */
const CORPUS: string[] = [
  'a,b,c\n',
  '"a","b","c"\r\n',
  '"a,1","b\n2","c\r\n3"\n',
  '"say ""hi""","""",""""""\n',
  '"","",""\n',
  ',,\n',
  'a,b,c', // no final line ending
  'a,b,c\r', // a CR at the very end is part of the value
  'a\rb,c,d\n', // a bare CR inside a value
  'a,b,c\n\n\r\n\n', // blank lines
  '\r\n"x","y","z"\n',
  'a,b\n', // too few columns
  'a,b,c,d\n', // too many
  'a,b,c,\n',
  '"a"x,b,c\n1,2,3\n', // text after a closing quote
  '"a" ,b,c\n1,2,3\n',
  'a"b,c,d\n1,2,3\n', // a quote inside an unquoted value
  ' "a",b,c\n1,2,3\n',
  '"a"\rb,c,d\n1,2,3\n', // a closing quote, then a bare CR
  '"a",b,"c"\r',
  '"a",b,"c\n1,2,3\n', // an unterminated quote swallowing the next line
  '"a",b,"c', // unterminated at the end of the file
  '"a","b","c"\n"1","2","3',
  'é,例え,😀\n',
  'a,\xff,c\n1,2,3\n',
  '"a\x00b",c,d\n',
  '1,2,3\n"x","y"z"\n4,5,6\n',
];

describe('CSV tokenizer against csv-parse', () => {
  it('gives csv-parse’s records and verdicts on a corpus of edge cases, whatever the chunking', () => {
    for (const body of CORPUS) {
      // '\xff' stands for the byte 0xFF, which is never valid UTF-8.
      const data = Buffer.from(HEADER + body, body.includes('\xff') ? 'latin1' : 'utf8');
      const expected = outcome(() => parseAll(data, Infinity, { tokenizer: csvParse }));
      for (const size of [1, 2, 3, 5, Infinity]) {
        for (const packFrom of [0, HEADER.length, Infinity]) {
          expect({ body, size, packFrom, got: outcome(() => parseAll(data, size, {}, packFrom)) }).toEqual({
            body,
            size,
            packFrom,
            got: expected,
          });
        }
      }
    }
  });

  it('reads the corpus as RFC 4180 says', () => {
    const rows = (body: string): unknown[] => parseAll(Buffer.from(HEADER + body)).records.map((r) => r.record);
    expect(rows('"a,1","b\n2","c\r\n3"\n')).toEqual([['a,1', 'b\n2', 'c\r\n3']]);
    expect(rows('"say ""hi""","""",""""""\n')).toEqual([['say "hi"', '"', '""']]);
    expect(rows('a\rb,c,d\na,b,c\r')).toEqual([
      ['a\rb', 'c', 'd'],
      ['a', 'b', 'c\r'],
    ]);
    expect(rows('a,b,c\n\n\r\n\n1,2,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  /** Bytes that make CSV interesting, weighted towards delimiters and quotes. */
  const csvByte = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(0x2c, 0x22, 0x0a, 0x0d) },
    { weight: 4, arbitrary: fc.constantFrom(0x61, 0x62, 0x20) },
    // No NUL: csv-parse reads a NUL after a closing quote as "no next byte" (`!nextChr`), closes the quote and
    // keeps going, where the tokenizer reports the invalid closing quote; EventLogFiles never hold NUL bytes.
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 255 }) },
  );
  const csvValue = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', 'é', '😀', ' '), maxLength: 6 }).map((s) => {
      return `"${s.replace(/"/g, '""')}"`;
    }),
    fc.string({ unit: fc.constantFrom('a', 'b', ' ', '例', '\r'), maxLength: 6 }),
  );
  /** Mostly well-formed records with a column count near the header's, with stray bytes spliced in. */
  const csvFile = fc
    .tuple(
      fc.array(
        fc.tuple(fc.array(csvValue, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n', '\n\n', '')),
        { maxLength: 8 },
      ),
      fc.array(fc.tuple(fc.nat(), fc.array(csvByte, { minLength: 1, maxLength: 3 })), { maxLength: 3 }),
    )
    .map(([records, splices]) => {
      let bytes = Buffer.from(records.map(([values, end]) => values.join(',') + end).join(''));
      for (const [at, inserted] of splices) {
        const pos = bytes.length === 0 ? 0 : at % bytes.length;
        bytes = Buffer.concat([bytes.subarray(0, pos), Buffer.from(inserted), bytes.subarray(pos)]);
      }
      return Buffer.concat([Buffer.from(HEADER), bytes]);
    });

  it('gives a malformed record of lone CRs the same span however the input is cut', () => {
    // Found by the property below: a row whose only value is a lone CR, and line breaks after it.
    const data = Buffer.from('"A","B","C"\n,例aaa\n\r\r\n\n', 'utf8');
    const whole = outcome(() => parseAll(data, Infinity));
    expect(outcome(() => parseAll(data, 1))).toEqual(whole);
    expect(outcome(() => parseAll(data, Infinity, { tokenizer: csvParse }))).toEqual(whole);
    const last = (whole as { records: { record: { offset: number; length: number } }[] }).records.at(-1)?.record;
    expect(last).toMatchObject({ offset: 23, length: 0 }); // within the record, which ends at byte 23
  });

  it('agrees with csv-parse on generated files, in any chunking, decoded or packed', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          csvFile,
          fc.array(csvByte, { maxLength: 60 }).map((b) => Buffer.from(b)),
        ),
        fc.integer({ min: 1, max: 40 }),
        fc.nat(80),
        fc.boolean(),
        (data, size, packFrom, fallback) => {
          const options = fallback ? { fallbackHeader: ['A', 'B', 'C'] } : {};
          const expected = outcome(() => parseAll(data, Infinity, { ...options, tokenizer: csvParse }));
          expect(outcome(() => parseAll(data, size, options, packFrom))).toEqual(expected);
          expect(outcome(() => parseAll(data, Infinity, options))).toEqual(expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('agrees with csv-parse on runaway records', () => {
    fc.assert(
      fc.property(csvFile, fc.integer({ min: 8, max: 64 }), (file, maxRecordBytes) => {
        const options = { fallbackHeader: ['A', 'B', 'C'], maxRecordBytes };
        // Where a runaway record is cut depends on how the bytes arrive: both get the whole file at once. csv-parse
        // holds back the last bytes it is given (up to three, in case they start a CRLF or a doubled quote), so a
        // complete last record would look like a runaway to it; blank lines at the end keep that artifact out.
        const data = Buffer.concat([file, Buffer.from('\n\n\n\n')]);
        const expected = outcome(() => parseAll(data, Infinity, { ...options, tokenizer: csvParse }));
        expect(outcome(() => parseAll(data, Infinity, options))).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
