/**
 * Whether the first line of a LogFile is an EventLogFile header. Columns added or reordered against
 * `LogFileFieldNames` are drift Salesforce ships between releases and are accepted; a header without `EVENT_TYPE`,
 * or one that shares less than half of the declared columns, is something else (a maintenance page, binary, another
 * file) and must not be ingested. Pure.
 */
import { splitFieldList } from './column-types';
import { LogFileFormatError, type LogFileParser } from './parse-log-file';

/** The column every EventLogFile has, whatever its event type. */
const EVENT_TYPE_COLUMN = 'EVENT_TYPE';
/** Below this share of the declared columns, the header is not the declared file's. */
const MIN_SHARED_SHARE = 0.5;

/** What is wrong with `header` as the header of an EventLogFile declaring `fieldNames`; undefined when nothing. */
export function headerProblem(header: readonly string[], fieldNames: string | undefined): string | undefined {
  const shown = quoteStart(header);
  if (!header.includes(EVENT_TYPE_COLUMN)) {
    return `its first line is not an EventLogFile header (no ${EVENT_TYPE_COLUMN} column): ${shown}`;
  }
  const declared = splitFieldList(fieldNames) ?? [];
  if (declared.length === 0) return undefined;
  const present = new Set(header);
  const shared = declared.filter((name) => present.has(name)).length;
  if (shared < declared.length * MIN_SHARED_SHARE) {
    return (
      `its header shares ${shared} of the ${declared.length} columns of its LogFileFieldNames, so it is not that ` +
      `file: ${shown}`
    );
  }
  return undefined;
}

/** The start of a header for a message: a few columns, each cut short (a binary "header" can be long). */
function quoteStart(header: readonly string[]): string {
  const text = JSON.stringify(header.slice(0, 5).map((c) => (c.length > 40 ? `${c.slice(0, 40)}…` : c)));
  return header.length > 5 ? `${text.slice(0, -1)}, … ${header.length - 5} more]` : text;
}

/**
 * Throws a `LogFileFormatError` naming the file when the header `parser` read is not an EventLogFile header (or is
 * the fallback standing in for a first line that could not be parsed). Called before any row is written.
 */
export function assertEventLogFileHeader(
  parser: Pick<LogFileParser, 'header' | 'headerIsFallback'>,
  file: { fileId: string; eventType: string; fieldNames?: string },
): void {
  const header = parser.header;
  if (header === undefined) return;
  const problem = parser.headerIsFallback
    ? 'its first line cannot be parsed as a CSV header'
    : headerProblem(header, file.fieldNames);
  if (problem !== undefined)
    throw new LogFileFormatError(`EventLogFile ${file.fileId} (${file.eventType}): ${problem}`);
}
