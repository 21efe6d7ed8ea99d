/**
 * The `EventType` values of Salesforce's EventLogFile object that elfstream knows, for validating configuration and
 * suggesting corrections. `EventType` is a restricted picklist that grows with each release; the authoritative list
 * for an org and API version is `describe('EventLogFile')`.
 */
import { closestMatch } from '../config/did-you-mean';

/**
 * Every known EventLogFile `EventType`, spelled exactly as Salesforce's picklist and files spell it, grouped as the
 * "EventLogFile Supported Event Types" page groups them
 * (https://developer.salesforce.com/docs/platform/object-reference/references/eventlogfile-supported-event-types/,
 * one page per type, e.g. `object-eventlogfile-cspviolation.html`). A few are older names still seen in older API
 * versions (`ContinuationCallout`, `UITracking`). Types added in recent releases carry the version that introduced
 * them in {@link EVENT_TYPE_SINCE}.
 */
export const KNOWN_EVENT_TYPES: readonly string[] = Object.freeze([
  // Apex and code
  'ApexCallout',
  'ApexExecution',
  'ApexInline',
  'ApexRestApi',
  'ApexSoap',
  'ApexTrigger',
  'ApexUnexpectedException',
  'ConcurrentLongRunningApexLimit',
  'ContinuationCallout', // older name of ContinuationCalloutSummary
  'ContinuationCalloutSummary',
  'QueuedExecution',
  'FlowExecution',
  'InvocableAction',
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
  'CompositeApi',
  'CompositeApiSubrequest',
  'MetadataApiOperation',
  'UniqueQuery',
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
  'UITelemetryNavigationTiming',
  'UITelemetryResourceTiming',
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
  'CspViolation', // "CSP Violation Event Type": the EventType value is CspViolation, not CSPViolation
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

/**
 * The API version from which EventLogFile offers a type, for the types added since elfstream's oldest supported
 * version (37.0), as each type's page states ("available in the EventLogFile object in API version N and later").
 * An org's describe at an older version simply lacks the value; `verify` explains that with this table.
 */
export const EVENT_TYPE_SINCE: Readonly<Record<string, number>> = Object.freeze({
  LightningError: 39,
  LightningInteraction: 39,
  LightningPageView: 39,
  LightningPerformance: 39,
  ExternalCrossOrgCallout: 40,
  ExternalCustomApexCallout: 40,
  ExternalODataCallout: 40,
  PlatformEncryption: 41,
  InsecureExternalAssets: 42,
  ContinuationCalloutSummary: 43,
  ApexUnexpectedException: 45,
  ConcurrentLongRunningApexLimit: 45,
  OneCommerceUsage: 51,
  NamedCredential: 53,
  TransactionSecurity: 55,
  ExternalDataSourceCallout: 56,
  HostnameRedirects: 56,
  LightningLogger: 58,
  UITelemetryNavigationTiming: 61,
  UITelemetryResourceTiming: 61,
  CspViolation: 63,
  BlockedRedirect: 63,
  DatabaseSave: 63,
  CompositeApi: 64,
  CompositeApiSubrequest: 64,
  InvocableAction: 64,
  UniqueQuery: 64,
  ApexInline: 66, // reserved for future use: captures no data yet
});

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
 * Why `value` cannot be an EventLogFile event type, or undefined when it can: any well-formed name (a PascalCase
 * word) can, since Salesforce adds types in every release; the org's own EventType list decides at login and in
 * `verify`. A near miss of a known name is still accepted: see {@link eventTypeWarning}.
 */
export function eventTypeProblem(value: string): string | undefined {
  if (KNOWN.has(value) || EVENT_TYPE_SHAPE.test(value)) return undefined;
  const suggestion = suggestEventType(value);
  const hint = suggestion === undefined ? '' : ` (did you mean ${JSON.stringify(suggestion)}?)`;
  return `${JSON.stringify(value)} is not an EventLogFile event type: event types are single words like "Login" or "LightningPageView"${hint}`;
}

/**
 * A "did you mean" warning for a well-formed name that is not a known type but is close to one (`CSPViolation`,
 * `Logins`); undefined otherwise. A warning, not an error: the org may offer a type newer than this list.
 */
export function eventTypeWarning(value: string): string | undefined {
  if (KNOWN.has(value) || !EVENT_TYPE_SHAPE.test(value)) return undefined;
  const suggestion = suggestEventType(value);
  if (suggestion === undefined) return undefined;
  return `${JSON.stringify(value)} is not an EventLogFile event type elfstream knows (did you mean ${JSON.stringify(suggestion)}?); it is kept, and the org's own list decides at login`;
}

/** The API version from which EventLogFile offers `type`, when it is one added after 37.0. */
export function eventTypeSince(type: string): number | undefined {
  return EVENT_TYPE_SINCE[type];
}
