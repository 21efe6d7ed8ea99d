/**
 * The event types the simulator generates and their schemas. The list of EventType picklist values it reports is
 * its own (the product's list lives elsewhere and may differ).
 */
import { apiSchema } from './api';
import type { EventSchema } from './common';
import { genericSchema } from './generic';
import { loginSchema } from './login';
import { loginAsSchema } from './login-as';
import { logoutSchema } from './logout';
import { reportExportSchema } from './report-export';
import { uriSchema } from './uri';

export type { EventSchema, RowContext, RowOrg, SimUser } from './common';
export { makeUsers } from './common';
export { csvLine, countCsvRecords, csvHeader } from './csv';

/**
 * A type of the simulated org's newest release (68.0) that no client list knows yet: it stands for the types every
 * release adds, which clients must ingest typed from `LogFileFieldTypes`. Fictional.
 */
export const NEWEST_EVENT_TYPE = 'AgentActionTrace';

/** Event types a simulated org produces unless configured otherwise. */
export const DEFAULT_EVENT_TYPES: readonly string[] = ['Login', 'LoginAs', 'Logout', 'URI', 'API', 'ReportExport'];

/** EventType picklist values reported by describe (a selection of the ~70 real ones). */
export const EVENT_TYPE_PICKLIST: readonly string[] = [
  'API',
  'ApexCallout',
  'ApexExecution',
  'ApexRestApi',
  'ApexSoap',
  'ApexTrigger',
  'ApexUnexpectedException',
  'ApiTotalUsage',
  'AsyncReportRun',
  'AuraRequest',
  'BulkApi',
  'BulkApi2',
  'ChangeSetOperation',
  'Console',
  'ContentDistribution',
  'ContentDocumentLink',
  'ContentTransfer',
  'ContinuationCalloutSummary',
  'CorsViolation',
  'CspViolation',
  'Dashboard',
  'DocumentAttachmentDownloads',
  'ExternalCustomApexCallout',
  'FlowExecution',
  'GroupMembership',
  'HostnameRedirects',
  'InsecureExternalAssets',
  'InsufficientAccess',
  'KnowledgeArticleView',
  'LightningError',
  'LightningInteraction',
  'LightningPageView',
  'LightningPerformance',
  'Login',
  'LoginAs',
  'Logout',
  'MetadataApiOperation',
  'MultiBlockReport',
  'NamedCredential',
  'PackageInstall',
  'PermissionUpdate',
  'PlatformEncryption',
  'QueuedExecution',
  'Report',
  'ReportExport',
  'RestApi',
  'Sandbox',
  'Search',
  'SearchClick',
  'Sites',
  'TimeBasedWorkflow',
  'TransactionSecurity',
  'URI',
  'VisualforceRequest',
  'WaveChange',
  'WaveDownload',
  'WaveInteraction',
  'WavePerformance',
  'BlockedRedirect',
  'DatabaseSave',
  'CompositeApi',
  'CompositeApiSubrequest',
  'InvocableAction',
  'UniqueQuery',
  'ApexInline',
  'LightningLogger',
  'UITelemetryNavigationTiming',
  'UITelemetryResourceTiming',
  NEWEST_EVENT_TYPE,
];

/**
 * API version from which a picklist value exists, for values added after 37.0, as each type's page on
 * "EventLogFile Supported Event Types" states (https://developer.salesforce.com/docs/platform/object-reference/
 * references/eventlogfile-supported-event-types/). A describe at an older version lacks the value.
 */
const EVENT_TYPE_SINCE: Record<string, number> = {
  LightningLogger: 58,
  UITelemetryNavigationTiming: 61,
  UITelemetryResourceTiming: 61,
  HostnameRedirects: 56,
  NamedCredential: 53,
  TransactionSecurity: 55,
  CspViolation: 63,
  BlockedRedirect: 63,
  DatabaseSave: 63,
  CompositeApi: 64,
  CompositeApiSubrequest: 64,
  InvocableAction: 64,
  UniqueQuery: 64,
  ApexInline: 66,
  [NEWEST_EVENT_TYPE]: 68,
};

/** The picklist values an org offers at an API version (the describe's EventType picklist). */
export function eventTypesAt(version: number, extra: readonly string[] = []): string[] {
  const values = [...new Set([...EVENT_TYPE_PICKLIST, ...extra])].filter((t) => (EVENT_TYPE_SINCE[t] ?? 0) <= version);
  return values.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
}

/** The API version from which an event type exists in the simulated org (0 when it always has). */
export function eventTypeSince(eventType: string): number {
  return EVENT_TYPE_SINCE[eventType] ?? 0;
}

const SCHEMAS: Record<string, EventSchema> = {
  Login: loginSchema,
  LoginAs: loginAsSchema,
  Logout: logoutSchema,
  URI: uriSchema,
  API: apiSchema,
  ReportExport: reportExportSchema,
};

const genericCache = new Map<string, EventSchema>();

/** The schema of an event type; types without a dedicated generator get the generic one. */
export function schemaFor(eventType: string): EventSchema {
  const known = SCHEMAS[eventType];
  if (known) return known;
  let schema = genericCache.get(eventType);
  if (!schema) {
    schema = genericSchema(eventType);
    genericCache.set(eventType, schema);
  }
  return schema;
}

/** Chance that an hour has at least one event of this type (and so a file). */
export function hourlyActivity(eventType: string): number {
  switch (eventType) {
    case 'Login':
    case 'URI':
      return 0.95;
    case 'API':
      return 0.9;
    case 'Logout':
      return 0.75;
    case 'ReportExport':
      return 0.3;
    case 'LoginAs':
      return 0.2;
    default:
      return 0.5;
  }
}
