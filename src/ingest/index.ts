/** The ingestion pipeline: one EventLogFile from bytes to committed chunks in a sink. */
export { DEFAULT_OFFLOAD_FROM_BYTES, runIngest } from './pipeline';
export type { IngestLogger, IngestOptions, IngestProgress, IngestResult } from './types';
