/**
 * Why a CSV record could not become a typed row. The quoting codes (`CSV_*`, `INVALID_*`) keep the names csv-parse
 * gives them, which the project's parser used before its own tokenizer; `CSV_PARSE_ERROR` is no longer produced.
 */
export type MalformedCode =
  | 'COLUMN_COUNT'
  | 'INVALID_UTF8'
  | 'RECORD_TOO_LONG'
  | 'CSV_INVALID_CLOSING_QUOTE'
  | 'INVALID_OPENING_QUOTE'
  | 'CSV_QUOTE_NOT_CLOSED'
  | 'CSV_PARSE_ERROR';

/**
 * A record of the file that is not a valid row. It is still emitted as an event (`p_parse_error`, `p_raw`) so that
 * nothing in the file is lost: the raw text of every malformed record plus the values of every valid row cover
 * the whole file.
 */
export class MalformedRecord {
  constructor(
    readonly code: MalformedCode,
    /** What is wrong, for people: `expected 19 columns, got 18`. */
    readonly error: string,
    /** The record's text without its line ending, capped (see `rawTruncated`); invalid UTF-8 shows as U+FFFD. */
    readonly raw: string,
    /** Byte offset of the record in the decoded CSV file. */
    readonly offset: number,
    /** Length of the record in bytes, before capping. */
    readonly length: number,
    readonly rawTruncated: boolean,
    /** The capped raw bytes in base64, only when they are not valid UTF-8 (so the exact bytes are kept). */
    readonly rawBase64?: string,
  ) {}
}
