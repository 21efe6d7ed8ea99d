import { isUtf8 } from 'node:buffer';
import { ByteWindow } from './byte-window';
import {
  EventLogCsvTokenizer,
  type CsvRecordTarget,
  type CsvSyntaxCode,
  type CsvTokenizer,
  type CsvTokenizerFactory,
} from './csv-tokenizer';
import { MalformedRecord, type MalformedCode } from './malformed-record';
import { ValueBuffer, type PackedValues } from './packed-values';
import { Utf8Tracker, incompleteUtf8Tail } from './utf8';

/**
 * EventLogFile CSV -> rows, over the project's own tokenizer (see `csv-tokenizer.ts`).
 *
 * Every record after the header comes out, in order, with a 1-based data row number: either its values (a
 * `string[]` as long as the header) or a {@link MalformedRecord}. Malformed records are never fatal and never
 * silently dropped:
 * - wrong column count, or invalid UTF-8 bytes inside the record: that record is malformed;
 * - a quoting error (a quote that does not end a value, an unterminated quoted value, a runaway value longer than
 *   `maxRecordBytes`): the record from its start up to the end of that physical line is malformed, and parsing
 *   starts afresh on the next line, so one stray quote costs one line, not the rest of the file.
 * The raw text of malformed records plus the values of valid rows cover every byte of the file.
 *
 * Speed: the tokenizer writes each value's bytes once, into a {@link ValueBuffer}; a valid row is then decoded with
 * one call, or not at all when the rows are packed for another thread ({@link LogFileParser.writePacked}). Input
 * bytes are kept only from the start of the current record, so memory does not grow with the file.
 */

/** A record past the header: its values, or why it is not a valid row. */
export type ParsedRecord = string[] | MalformedRecord;

/** Records completed by one `write`/`end`, numbered consecutively from `firstRow`. */
export interface RecordBatch {
  readonly firstRow: number;
  readonly records: readonly ParsedRecord[];
}

/** Records completed by one `writePacked`/`endPacked`: rows `firstRow` … `firstRow + count - 1`. */
export interface PackedRecordBatch {
  readonly firstRow: number;
  /** Records in the batch, valid and malformed. */
  readonly count: number;
  /** The valid rows' values, row after row. */
  readonly values: PackedValues;
  /** The malformed records, in order, and their row numbers. */
  readonly malformed: readonly MalformedRecord[];
  readonly malformedAt: readonly number[];
}

export interface LogFileParserOptions {
  /** For error messages. */
  fileId: string;
  /** Column names to use if the header line itself cannot be parsed (from `LogFileFieldNames`). */
  fallbackHeader?: readonly string[];
  /** A record longer than this is a runaway (an unterminated quote) and becomes malformed. Default 1 MiB. */
  maxRecordBytes?: number;
  /** Cap on the raw text kept for a malformed record. Default 64 KiB. */
  maxRawBytes?: number;
  /** Splits the bytes into records; the project's own tokenizer unless a test compares it with another. */
  tokenizer?: CsvTokenizerFactory;
}

/** Thrown when the file cannot be read as CSV at all (its header line is broken and no fallback is known). */
export class LogFileFormatError extends Error {
  override readonly name = 'LogFileFormatError';
}

export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
export const DEFAULT_MAX_RAW_BYTES = 64 * 1024;

const NL = 0x0a;
const CR = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const QUOTE_ERRORS: Record<CsvSyntaxCode, string> = {
  CSV_INVALID_CLOSING_QUOTE: 'a quote inside a quoted value is not doubled, or a quoted value is not terminated',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted value',
  CSV_QUOTE_NOT_CLOSED: 'a quoted value is not terminated at the end of the file',
};

const ownTokenizer: CsvTokenizerFactory = (target) => new EventLogCsvTokenizer(target);

interface Resync {
  start: number;
  searchFrom: number;
  code: MalformedCode;
  error: string;
}

/**
 * Incremental parser for one EventLogFile. Feed it the decoded CSV bytes with {@link write} and finish with
 * {@link end}; each call returns the records it completed. The first record is the header ({@link header}).
 * {@link writePacked} and {@link endPacked} do the same but return the rows packed (for the rest of the file).
 */
export class LogFileParser {
  private readonly fileId: string;
  private readonly fallbackHeader: readonly string[] | undefined;
  private readonly maxRecordBytes: number;
  private readonly maxRawBytes: number;
  private readonly tokenizer: CsvTokenizerFactory;
  private readonly target: CsvRecordTarget;

  private headerValues: string[] | undefined;
  private usedFallback = false;
  private csv: CsvTokenizer | undefined;
  /** Absolute offset at which the current tokenizer started. */
  private csvBase = 0;
  private resync: Resync | undefined;
  /** Input from the start of the current record on; absolute offsets count from the file's first byte (BOM too). */
  private readonly window = new ByteWindow();
  /** Next byte to hand to the current consumer (the tokenizer or the resync scan). */
  private cursor = 0;
  /** End of the last complete record: where the current record starts. */
  private recordEnd = 0;
  private head: Buffer | undefined;
  private started = false;
  private ended = false;
  private readonly utf8 = new Utf8Tracker();
  private out: ParsedRecord[] = [];
  /** The values the tokenizer reads: decoded per row, or packed. */
  private readonly values = new ValueBuffer();
  /** Whether batches are packed (from the first `writePacked` on). */
  private packed = false;
  private outMalformed: MalformedRecord[] = [];
  private outMalformedAt: number[] = [];
  private outFirstRow = 1;
  private nextRow = 1;
  private malformed = 0;

  constructor(options: LogFileParserOptions) {
    this.fileId = options.fileId;
    this.fallbackHeader = options.fallbackHeader;
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    this.maxRawBytes = options.maxRawBytes ?? DEFAULT_MAX_RAW_BYTES;
    this.tokenizer = options.tokenizer ?? ownTokenizer;
    this.target = { values: this.values, onRecord: (end, decoded) => this.onRecord(end, decoded) };
  }

  /** The header (column names, as in the file), once its line has been parsed. */
  get header(): readonly string[] | undefined {
    return this.headerValues;
  }

  /** Whether {@link header} is the fallback header, standing in for a first line that could not be parsed. */
  get headerIsFallback(): boolean {
    return this.usedFallback;
  }

  /** Data records so far, valid and malformed. */
  get rows(): number {
    return this.nextRow - 1;
  }

  get malformedRows(): number {
    return this.malformed;
  }

  get bytesRead(): number {
    return this.window.end;
  }

  /** Parses the next piece of the file. */
  write(chunk: Buffer | string): RecordBatch {
    this.assertUnpacked();
    this.feed(chunk);
    return this.takeBatch();
  }

  /** Parses what is left at the end of the file (a last line without a line ending, an unterminated quote). */
  end(): RecordBatch {
    this.assertUnpacked();
    this.finish();
    return this.takeBatch();
  }

  /**
   * Like {@link write}, with the rows packed: valid rows' values as UTF-8 bytes, for a consumer in another thread.
   * From the first call on, the file's remaining batches are packed (use {@link endPacked} to finish).
   */
  writePacked(chunk: Buffer | string): PackedRecordBatch {
    this.packed = true;
    this.feed(chunk);
    return this.takePacked();
  }

  /** Like {@link end}, with the rows packed. */
  endPacked(): PackedRecordBatch {
    this.packed = true;
    this.finish();
    return this.takePacked();
  }

  /** A packed batch's values that their consumer is done with: their buffers are reused for later batches. */
  recycle(values: PackedValues): void {
    this.values.recycle(values);
  }

  private assertUnpacked(): void {
    if (this.packed) throw new Error('LogFileParser: the rest of this file is packed (writePacked/endPacked)');
  }

  private feed(chunk: Buffer | string): void {
    if (this.ended) throw new Error('LogFileParser: write after end');
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf.length === 0) return;
    if (!this.started) {
      if (this.head !== undefined) buf = Buffer.concat([this.head, buf]);
      // Wait for three bytes to tell whether the file starts with a BOM.
      if (buf.length < UTF8_BOM.length) {
        this.head = buf;
        return;
      }
      this.begin(buf);
    } else {
      this.accept(buf);
    }
    this.pump();
    this.window.discardBefore(this.recordEnd);
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    if (!this.started && this.head !== undefined) this.begin(this.head);
    this.started = true;
    this.utf8.finish(this.window.end);
    for (;;) {
      this.pump();
      if (this.resync !== undefined) {
        this.advanceResync();
        continue;
      }
      const csv = this.csv;
      if (csv === undefined) break;
      csv.end(); // flushes the last record or reports an unterminated quote
      if (csv.failure !== undefined) {
        this.quoteFailure(csv.failure);
        continue;
      }
      this.csv = undefined;
      break;
    }
    this.window.clear();
  }

  /**
   * Called by the tokenizer for every record; `bytes` is its end offset relative to that tokenizer. Its values are
   * the record in progress of {@link values}, unless the tokenizer gives them `decoded`.
   */
  private onRecord(bytes: number, decoded: string[] | undefined): void {
    const end = this.csvBase + bytes;
    const start = this.recordEnd;
    this.recordEnd = end;
    if (this.headerValues === undefined) {
      this.headerValues = decoded ?? this.values.decodeRow();
      this.utf8.skipBefore(end);
      return;
    }
    const at = this.utf8.firstBefore(end);
    const columns = decoded?.length ?? this.values.recordValues;
    if (at !== undefined) {
      this.emitMalformed('INVALID_UTF8', `invalid UTF-8 at byte ${at} of the file`, start, end);
    } else if (columns !== this.headerValues.length) {
      this.emitMalformed('COLUMN_COUNT', `expected ${this.headerValues.length} columns, got ${columns}`, start, end);
    } else {
      this.emitRow(decoded);
    }
  }

  private emitRow(decoded: string[] | undefined): void {
    if (!this.packed) this.out.push(decoded ?? this.values.decodeRow());
    else if (decoded !== undefined) this.values.packRow(decoded);
    else this.values.commitRow();
    this.nextRow++;
  }

  private begin(buf: Buffer): void {
    this.started = true;
    this.head = undefined;
    const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    this.accept(buf);
    this.cursor = this.recordEnd = bom;
  }

  private accept(buf: Buffer): void {
    const start = this.window.end;
    this.window.push(buf);
    this.utf8.check(buf, start);
  }

  private pump(): void {
    while (this.cursor < this.window.end) {
      if (this.resync !== undefined) this.advanceResync();
      else this.feedCsv();
    }
  }

  private feedCsv(): void {
    let csv = this.csv;
    if (csv === undefined) {
      csv = this.tokenizer(this.target);
      this.csv = csv;
      this.csvBase = this.cursor;
    }
    const tokenizer = csv;
    this.window.forEachFrom(this.cursor, (piece, pieceStart) => {
      if (tokenizer.failure !== undefined) return;
      this.cursor = pieceStart + piece.length;
      tokenizer.write(piece); // records arrive in onRecord before it returns
    });
    if (csv.failure !== undefined) return this.quoteFailure(csv.failure);
    if (this.window.end - this.recordEnd > this.maxRecordBytes) {
      this.startResync('RECORD_TOO_LONG', `record longer than ${this.maxRecordBytes} bytes (an unterminated quote?)`);
    }
  }

  private quoteFailure(code: CsvSyntaxCode): void {
    this.startResync(code, QUOTE_ERRORS[code]);
  }

  /** Drops the current tokenizer; the bad record runs from its start to the end of its first line. */
  private startResync(code: MalformedCode, error: string): void {
    this.csv = undefined;
    this.values.dropRow(); // the values of the broken record so far
    const start = this.skipLineBreaks(this.recordEnd);
    this.resync = { start, searchFrom: start, code, error };
    this.cursor = start;
    if (code === 'RECORD_TOO_LONG') {
      // A runaway value: everything up to the last line break seen belongs to it; re-parsing it line by line
      // would cost time quadratic in its length.
      const nl = this.window.lastIndexOf(NL, start, this.window.end);
      this.completeResync(nl >= 0 ? nl + 1 : this.window.end);
    } else {
      this.advanceResync();
    }
  }

  private advanceResync(): void {
    const r = this.resync as Resync;
    const end = this.window.end;
    const nl = this.window.indexOf(NL, r.searchFrom, end);
    if (nl >= 0) return this.completeResync(nl + 1);
    r.searchFrom = end;
    this.cursor = end;
    if (this.ended || end - r.start > this.maxRecordBytes) this.completeResync(end);
  }

  private completeResync(end: number): void {
    const r = this.resync as Resync;
    this.resync = undefined;
    if (end > r.start) this.emitMalformed(r.code, r.error, r.start, end);
    this.recordEnd = end;
    this.cursor = end;
  }

  private emitMalformed(code: MalformedCode, error: string, start: number, end: number): void {
    if (this.headerValues === undefined) {
      if (this.fallbackHeader === undefined) {
        throw new LogFileFormatError(
          `EventLogFile ${this.fileId}: the header line cannot be parsed (${error}) and LogFileFieldNames is unknown`,
        );
      }
      // The broken line is reported like any malformed record; the documented names stand in for it.
      this.headerValues = [...this.fallbackHeader];
      this.usedFallback = true;
    }
    // Within the record: line breaks after its end may not have arrived yet, and counting them would make the
    // span depend on how the input was cut (a record of lone CRs is all line breaks).
    const s = Math.min(this.skipLineBreaks(start), end);
    let e = end;
    while (e > s && this.isLineBreak(e - 1)) e--;
    const length = e - s;
    let bytes = this.window.slice(s, s + Math.min(length, this.maxRawBytes));
    const truncated = bytes.length < length;
    if (truncated) bytes = bytes.subarray(0, bytes.length - incompleteUtf8Tail(bytes));
    const valid = isUtf8(bytes);
    this.utf8.skipBefore(end);
    const record = new MalformedRecord(
      code,
      error,
      bytes.toString('utf8'),
      s,
      length,
      truncated,
      valid ? undefined : bytes.toString('base64'),
    );
    this.values.dropRow(); // the values read before the record proved bad
    if (!this.packed) {
      this.out.push(record);
    } else {
      this.outMalformed.push(record);
      this.outMalformedAt.push(this.nextRow);
    }
    this.nextRow++;
    this.malformed++;
  }

  private takeBatch(): RecordBatch {
    const batch: RecordBatch = { firstRow: this.outFirstRow, records: this.out };
    this.out = [];
    this.outFirstRow = this.nextRow;
    return batch;
  }

  private takePacked(): PackedRecordBatch {
    const batch: PackedRecordBatch = {
      firstRow: this.outFirstRow,
      count: this.nextRow - this.outFirstRow,
      values: this.values.take(),
      malformed: this.outMalformed,
      malformedAt: this.outMalformedAt,
    };
    this.outMalformed = [];
    this.outMalformedAt = [];
    this.outFirstRow = this.nextRow;
    return batch;
  }

  private isLineBreak(pos: number): boolean {
    const b = this.window.byteAt(pos);
    return b === NL || b === CR;
  }

  private skipLineBreaks(pos: number): number {
    let p = pos;
    while (p < this.window.end && this.isLineBreak(p)) p++;
    return p;
  }
}

/** A batch of records with the file's header, as yielded by {@link readLogFile}. */
export interface HeadedBatch extends RecordBatch {
  readonly header: readonly string[];
}

/**
 * Reads a whole EventLogFile from a byte stream, yielding the records of each input chunk as one batch (a batch
 * per row would cost a promise per row). Batches are never empty.
 */
export async function* readLogFile(
  source: AsyncIterable<Buffer | string>,
  options: LogFileParserOptions,
): AsyncGenerator<HeadedBatch> {
  const parser = new LogFileParser(options);
  for await (const chunk of source) {
    const batch = parser.write(chunk);
    if (batch.records.length > 0) yield { ...batch, header: parser.header as readonly string[] };
  }
  const last = parser.end();
  if (last.records.length > 0) yield { ...last, header: parser.header as readonly string[] };
}
