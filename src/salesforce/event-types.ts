/**
 * The `EventType` values of Salesforce's EventLogFile object that elfstream knows, for validating configuration and
 * suggesting corrections. `EventType` is a restricted picklist that grows with each release; the authoritative list
 * for an org and API version is `describe('EventLogFile')`.
 */
import { closestMatch } from '../config/did-you-mean';

/**
 * Every known EventLogFile `EventType`, grouped as Salesforce documents them. A few are older names still seen in
 * older API versions (`ContinuationCallout`, `UITracking`); some were added recently (API version in comments).
 */
export const KNOWN_EVENT_TYPES: readonly string[] = Object.freeze([
  // Apex and code
  'ApexCallout',
  'ApexExecution',
  'ApexInline', // reserved, v66+
  'ApexRestApi',
  'ApexSoap',
  'ApexTrigger',
  'ApexUnexpectedException',
  'ConcurrentLongRunningApexLimit',
  'ContinuationCallout', // older name of ContinuationCalloutSummary
  'ContinuationCalloutSummary',
  'QueuedExecution',
  'FlowExecution',
  'InvocableAction', // v64+
  'NamedCredential',
  'TimeBasedWorkflow',
  'TransactionSecurity',
  // APIs
  'API',
  'RestApi',
  'ApiTotalUsage',
  'BulkApi',
  'BulkApi2',
  'BulkApiRequest',
  'CompositeApi', // v64+
  'CompositeApiSubrequest', // v64+
  'MetadataApiOperation',
  'UniqueQuery', // v64+
  // Authentication and sessions
  'Login',
  'LoginAs',
  'Logout',
  'PermissionUpdate',
  'GroupMembership',
  'InsufficientAccess',
  'PlatformEncryption',
  'Sandbox',
  // UI and Lightning
  'URI',
  'AuraRequest',
  'LightningError',
  'LightningInteraction',
  'LightningLogger',
  'LightningPageView',
  'LightningPerformance',
  'Console',
  'VisualforceRequest',
  'Sites',
  'Search',
  'SearchClick',
  'KnowledgeArticleView',
  'UITelemetryNavigationTiming', // v61+
  'UITelemetryResourceTiming', // v61+
  'UITracking', // older lists
  // Reports and content
  'Report',
  'ReportExport',
  'AsyncReportRun',
  'MultiBlockReport',
  'Dashboard',
  'DocumentAttachmentDownloads',
  'ContentDistribution',
  'ContentDocumentLink',
  'ContentTransfer',
  'PackageInstall',
  'ChangeSetOperation',
  // Security and web
  'CorsViolation',
  'CSPViolation',
  'HostnameRedirects',
  'InsecureExternalAssets',
  'BlockedRedirect',
  'DatabaseSave',
  // External data
  'ExternalCrossOrgCallout',
  'ExternalCustomApexCallout',
  'ExternalDataSourceCallout',
  'ExternalODataCallout',
  // Commerce and other
  'OneCommerceUsage',
  'Pricing',
  // CRM Analytics
  'WaveChange',
  'WaveDownload',
  'WaveInteraction',
  'WavePerformance',
]);

/** The event types a source ingests when its configuration names none. */
export const DEFAULT_EVENT_TYPES: readonly string[] = Object.freeze(['Login', 'LoginAs', 'Logout', 'URI']);

const KNOWN = new Set(KNOWN_EVENT_TYPES);

/** Whether `value` is exactly (case included) a known EventLogFile event type. */
export function isKnownEventType(value: string): boolean {
  return KNOWN.has(value);
}

/**
 * The known event type `input` most likely means, for "did you mean" messages: the one equal to it ignoring case,
 * else the nearest within an edit distance of 2 (ignoring case; a transposition counts as 1), unless that would
 * replace the whole input. `undefined` when none is close.
 */
export function suggestEventType(input: string): string | undefined {
  return closestMatch(input, KNOWN_EVENT_TYPES, 2);
}

/** The shape of an `EventType` value: a PascalCase word (`Login`, `URI`, `LightningPageView`). */
const EVENT_TYPE_SHAPE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Why `value` cannot be an EventLogFile event type, or undefined when it can: a known type; or a well-formed name
 * that is not close to a known one, since Salesforce adds types in new releases (the org's own EventType list is
 * checked at login, where an unknown one is reported). A name close to a known type is taken for a typo.
 */
export function eventTypeProblem(value: string): string | undefined {
  if (KNOWN.has(value)) return undefined;
  const suggestion = suggestEventType(value);
  if (suggestion !== undefined) {
    return `${JSON.stringify(value)} is not an EventLogFile event type (did you mean ${JSON.stringify(suggestion)}?)`;
  }
  if (!EVENT_TYPE_SHAPE.test(value)) {
    return `${JSON.stringify(value)} is not an EventLogFile event type: event types are single words like "Login" or "LightningPageView"`;
  }
  return undefined;
}
