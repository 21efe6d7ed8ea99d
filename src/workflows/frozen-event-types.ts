/**
 * The backfill event type rule of release 0.1.0, frozen. Histories recorded under it replay with it: whether a
 * backfill signal was accepted decides whether a child workflow was started, so this module must never change, even
 * when Salesforce adds event types or the configuration's own rule or suggestions move on
 * (`src/salesforce/event-types.ts` and `src/config/did-you-mean.ts` are free to change; this copy is not).
 */

/** The EventLogFile event types release 0.1.0 knew, spelled as it spelled them (`CSPViolation`). Never edit. */
const EVENT_TYPES_0_1_0: readonly string[] = Object.freeze([
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

const KNOWN_0_1_0 = new Set(EVENT_TYPES_0_1_0);
const SHAPE_0_1_0 = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Why release 0.1.0 refused `value` as a backfill event type, or undefined when it accepted it: a known type was
 * accepted, a near miss of one (within 2 edits, ignoring case) was taken for a typo, and any other PascalCase word
 * was accepted.
 */
export function legacyEventTypeProblem(value: string): string | undefined {
  if (KNOWN_0_1_0.has(value)) return undefined;
  const suggestion = closest(value);
  if (suggestion !== undefined) {
    return `${JSON.stringify(value)} is not an EventLogFile event type (did you mean ${JSON.stringify(suggestion)}?)`;
  }
  if (!SHAPE_0_1_0.test(value)) {
    return `${JSON.stringify(value)} is not an EventLogFile event type: event types are single words like "Login" or "LightningPageView"`;
  }
  return undefined;
}

/** 0.1.0's nearest known type: equal ignoring case, else the first nearest within 2 edits that keeps part of `input`. */
function closest(input: string): string | undefined {
  const lower = input.toLowerCase();
  const sameIgnoringCase = EVENT_TYPES_0_1_0.find((c) => c.toLowerCase() === lower);
  if (sameIgnoringCase !== undefined) return sameIgnoringCase;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of EVENT_TYPES_0_1_0) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= 2 && bestDistance < input.length ? best : undefined;
}

/** Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent transpositions cost 1). */
function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d: number[] = new Array<number>((a.length + 1) * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}
