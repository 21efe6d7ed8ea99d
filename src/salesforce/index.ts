/**
 * The Salesforce client: auth strategies, per-process session cache, EventLogFile listing, streaming LogFile
 * download, API-usage tracking and error classification.
 */
export { SalesforceClient } from './client';
export type {
  FieldLayout,
  FilesPage,
  ListFilesByLogDateQuery,
  ListNewFilesQuery,
  SalesforceClientOptions,
} from './client';
export { SessionPool } from './session-pool';
export type { SessionPoolOptions } from './session-pool';
export type { CallContext, SalesforceLogger, SessionIdentity, SessionOptions } from './session';
export { SalesforceError, classifySalesforceError, endpointPath, parseRetryAfter } from './errors';
export type { ClassifyContext, SalesforceErrorInit, SalesforceErrorKind, SalesforceOperation } from './errors';
export { ApiUsageTracker, parseLimitInfo } from './api-usage';
export type { ApiUsage } from './api-usage';
export type { LogFileDownload } from './log-file-download';
export { resolveInterval, schemaFromDescribe, toEventLogFileMeta } from './event-log-file';
export type { EventLogFileSchema } from './event-log-file';
export { fromSalesforceDateTime, parseSalesforceDateTime, toSalesforceDateTime } from './dates';
export { redactSecrets } from './redact';
export type { FileCursor } from './soql';
export type { EventLogFileMeta, LogInterval, OrgInfo } from './types';
