/** EventLogFile CSV -> typed rows -> normalized events (one JSON line each). */
export { MalformedRecord, type MalformedCode } from './malformed-record';
export {
  createRowNormalizer,
  type HeaderMismatch,
  type NormalizeContext,
  type NormalizeOptions,
  type RowNormalizer,
} from './normalize';
export {
  LogFileFormatError,
  LogFileParser,
  readLogFile,
  type HeadedBatch,
  type LogFileParserOptions,
  type ParsedRecord,
  type RecordBatch,
} from './parse-log-file';
export { DEFAULT_OCCURRENCE_WINDOW, RowIdGenerator } from './row-id';
export {
  EVENT_TIME_COLUMN,
  IP_ADDRESS_COLUMNS,
  LOGIN_AS_SCHEMA,
  LOGIN_SCHEMA,
  LOGOUT_SCHEMA,
  TIMESTAMP_COLUMN,
  TRACE_ID_COLUMNS,
  URI_SCHEMA,
  USERNAME_COLUMNS,
  schemaFor,
  type EventSchema,
  type FieldType,
} from './event-schemas';
