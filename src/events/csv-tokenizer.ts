import type { ValueBuffer } from './packed-values';

/**
 * The CSV dialect of EventLogFile (RFC 4180): comma-separated values, optionally in double quotes; a quoted value
 * may hold commas, line breaks and doubled quotes; records end with LF or CRLF. Blank lines are skipped. A bare CR
 * outside quotes is an ordinary character.
 *
 * The tokenizer reads bytes and writes each value's unescaped bytes into a {@link ValueBuffer}, then tells its
 * owner where each record ends. It checks quoting only; column counts and UTF-8 are the owner's business. Its
 * verdicts are those of csv-parse with the options the project used before (`record_delimiter: ['\r\n', '\n']`,
 * `skip_empty_lines`, strict quotes), which the tests hold it to.
 */

/** A quoting error: parsing cannot continue past it (see `LogFileParser`'s resync). */
export type CsvSyntaxCode = 'CSV_INVALID_CLOSING_QUOTE' | 'INVALID_OPENING_QUOTE' | 'CSV_QUOTE_NOT_CLOSED';

export interface CsvRecordTarget {
  /** Where the tokenizer writes values. */
  readonly values: ValueBuffer;
  /**
   * A record ended `end` bytes after the tokenizer's first byte (its line ending included). Its values are the
   * record in progress of {@link values}, unless given as strings.
   */
  onRecord(end: number, decoded?: string[]): void;
}

/** What the parser needs of a tokenizer; one instance parses until the end or its first quoting error. */
export interface CsvTokenizer {
  write(piece: Uint8Array): void;
  /** No more input: completes the last record, or fails on an unterminated quote. */
  end(): void;
  /** Set once a quoting error stopped it; later input is ignored. */
  readonly failure: CsvSyntaxCode | undefined;
}

export type CsvTokenizerFactory = (target: CsvRecordTarget) => CsvTokenizer;

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  /** At the start of a value, nothing read. */
  FieldStart,
  /** Inside an unquoted value. */
  Unquoted,
  /** Just after a CR outside quotes: a line ending if LF follows, else part of the value. */
  UnquotedCr,
  /** Inside a quoted value. */
  Quoted,
  /** Just after a quote inside a quoted value: a doubled quote, or the end of the value. */
  QuoteSeen,
  /** A closing quote, then CR: LF must follow. */
  QuoteCr,
  Failed,
}

/** The project's own tokenizer: a byte-level state machine, one pass, no string until a record is decoded. */
export class EventLogCsvTokenizer implements CsvTokenizer {
  failure: CsvSyntaxCode | undefined;
  private state = State.FieldStart;
  /** Bytes consumed before the current piece. */
  private offset = 0;

  constructor(private readonly target: CsvRecordTarget) {}

  write(piece: Uint8Array): void {
    const vb = this.target.values;
    // Values never take more bytes than their input (plus one NUL per delimiter read, plus a held-back CR).
    vb.reserve(piece.length + 2);
    let out = vb.bytes;
    let o = vb.end;
    let state = this.state;
    const n = piece.length;
    let i = 0;
    while (i < n && state !== State.Failed) {
      switch (state) {
        case State.FieldStart:
        case State.Unquoted: {
          // The common path: copy value bytes until a delimiter, a quote or a CR.
          let b = 0;
          while (i < n) {
            b = piece[i] as number;
            if (b === COMMA || b === LF || b === QUOTE || b === CR) break;
            out[o++] = b;
            i++;
            state = State.Unquoted;
          }
          if (i === n) break;
          i++;
          if (b === COMMA) {
            vb.endValue(o);
            o = vb.end;
            state = State.FieldStart;
          } else if (b === LF) {
            if (state === State.FieldStart && vb.recordValues === 0) break; // a blank line
            vb.endValue(o);
            ({ out, o } = this.record(i));
            state = State.FieldStart;
          } else if (b === QUOTE) {
            if (state === State.FieldStart) state = State.Quoted;
            else state = this.fail('INVALID_OPENING_QUOTE');
          } else {
            state = State.UnquotedCr;
          }
          break;
        }
        case State.UnquotedCr: {
          if (piece[i] === LF) {
            i++;
            if (o === vb.valueStartsAt && vb.recordValues === 0) {
              state = State.FieldStart; // a blank CRLF line
              break;
            }
            vb.endValue(o);
            ({ out, o } = this.record(i));
            state = State.FieldStart;
          } else {
            out[o++] = CR;
            state = State.Unquoted;
          }
          break;
        }
        case State.Quoted: {
          while (i < n) {
            const b = piece[i] as number;
            if (b === QUOTE) break;
            out[o++] = b;
            i++;
          }
          if (i < n) {
            i++;
            state = State.QuoteSeen;
          }
          break;
        }
        case State.QuoteSeen: {
          const b = piece[i++] as number;
          if (b === QUOTE) {
            out[o++] = QUOTE;
            state = State.Quoted;
          } else if (b === COMMA) {
            vb.endValue(o);
            o = vb.end;
            state = State.FieldStart;
          } else if (b === LF) {
            vb.endValue(o);
            ({ out, o } = this.record(i));
            state = State.FieldStart;
          } else if (b === CR) {
            state = State.QuoteCr;
          } else {
            state = this.fail('CSV_INVALID_CLOSING_QUOTE');
          }
          break;
        }
        case State.QuoteCr: {
          if (piece[i++] === LF) {
            vb.endValue(o);
            ({ out, o } = this.record(i));
            state = State.FieldStart;
          } else {
            state = this.fail('CSV_INVALID_CLOSING_QUOTE');
          }
          break;
        }
      }
    }
    if (state !== State.Failed) {
      this.state = state;
      vb.end = o;
    }
    this.offset += n;
  }

  end(): void {
    if (this.failure !== undefined) return;
    const vb = this.target.values;
    switch (this.state) {
      case State.Quoted:
        this.fail('CSV_QUOTE_NOT_CLOSED');
        return;
      case State.QuoteCr:
        this.fail('CSV_INVALID_CLOSING_QUOTE');
        return;
      case State.FieldStart:
        if (vb.recordValues === 0) return; // nothing after the last line ending
        break;
      case State.UnquotedCr:
        vb.reserve(1);
        vb.bytes[vb.end++] = CR;
        break;
      default:
        break;
    }
    vb.endValue(vb.end);
    this.state = State.FieldStart;
    this.target.onRecord(this.offset);
  }

  /** Hands a complete record (its last value ended) to the owner, which may commit, decode or drop its values. */
  private record(consumed: number): { out: Buffer; o: number } {
    const vb = this.target.values;
    this.target.onRecord(this.offset + consumed);
    return { out: vb.bytes, o: vb.end };
  }

  private fail(code: CsvSyntaxCode): State {
    this.failure = code;
    this.state = State.Failed;
    return State.Failed;
  }
}
