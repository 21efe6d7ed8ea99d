/**
 * The Salesforce objects of the real-time channel: Real-Time Event Monitoring storage events (big objects) and the
 * Setup Audit Trail. What each one is queried by, what it selects, and which EventLogFile type records the same
 * activity (the overlap the configuration guards against).
 */

/** How an object is read. */
export type RealtimeObjectKind =
  /**
   * A big object storing Real-Time Event Monitoring events: filterable on EventDate and EventIdentifier only, no
   * OFFSET, `Id` not selectable (it comes back empty), kept about six months.
   * https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/real_time_event_monitoring_storage.htm
   * https://developer.salesforce.com/docs/atlas.en-us.246.0.soql_sosl.meta/soql_sosl/big_object_querying.htm
   */
  | 'storage-event'
  /**
   * SetupAuditTrail: a standard object, changes made in Setup over at least the last 180 days; CreatedDate and Id
   * are filterable and sortable.
   * https://developer.salesforce.com/docs/atlas.en-us.264.0.object_reference.meta/object_reference/sforce_api_objects_setupaudittrail.htm
   */
  | 'audit-trail';

export interface RealtimeObject {
  name: string;
  kind: RealtimeObjectKind;
  /** Fields selected, in output order (each object page of the Platform Events guide / Object Reference). */
  fields: readonly string[];
  /** Fields whose values are IP addresses (`p_any_ip_addresses`). */
  ipFields: readonly string[];
  /** Fields holding usernames or emails (`p_any_usernames`). */
  userFields: readonly string[];
  /** Fields tying events together (`p_any_trace_ids`). */
  traceFields: readonly string[];
  /** EventLogFile event types that record the same activity. */
  sameActivityAs: readonly string[];
}

/** Fields every storage event of this catalog carries (Platform Events guide, e.g. LoginEvent and LogoutEvent). */
const EVENT_BASE = ['EventDate', 'EventIdentifier', 'UserId', 'Username', 'SessionKey', 'LoginKey', 'SourceIp'];

const storage = (
  name: string,
  extra: readonly string[],
  sameActivityAs: readonly string[],
  ip: readonly string[] = ['SourceIp'],
): RealtimeObject => ({
  name,
  kind: 'storage-event',
  fields: [...EVENT_BASE, ...extra],
  ipFields: ip,
  userFields: ['Username'],
  traceFields: ['SessionKey', 'LoginKey'],
  sameActivityAs,
});

/** The objects elfstream reads on the real-time channel, by name. */
export const REALTIME_OBJECTS: ReadonlyMap<string, RealtimeObject> = new Map(
  [
    storage(
      'LoginEvent',
      ['LoginType', 'Status', 'Application', 'Browser', 'Platform', 'CountryIso', 'LoginUrl', 'ApiType', 'ApiVersion'],
      ['Login'],
    ),
    storage('LogoutEvent', [], ['Logout']),
    storage('LoginAsEvent', ['DelegatedUsername', 'LoginAsCategory', 'Application'], ['LoginAs']),
    storage('UriEvent', ['Operation', 'QueriedEntities', 'RecordId', 'Uri'], ['URI']),
    storage('LightningUriEvent', ['Operation', 'PageUrl', 'RecordId', 'QueriedEntities'], ['LightningPageView', 'URI']),
    storage('ApiEvent', ['ApiType', 'ApiVersion', 'Operation', 'QueriedEntities', 'RowsProcessed'], ['API', 'RestApi']),
    storage('ReportEvent', ['ReportId', 'Operation', 'RowsProcessed', 'QueriedEntities'], ['Report']),
    storage('ListViewEvent', ['ListViewId', 'Operation', 'RowsProcessed', 'QueriedEntities'], ['ListViewEvent']),
    {
      name: 'SetupAuditTrail',
      kind: 'audit-trail' as const,
      fields: ['Id', 'CreatedDate', 'CreatedById', 'Action', 'Section', 'Display', 'DelegateUser'],
      ipFields: [],
      userFields: ['DelegateUser'],
      traceFields: [],
      sameActivityAs: [],
    },
  ].map((o) => [o.name, o]),
);

/** The objects `realtime.objects` defaults to. */
export const DEFAULT_REALTIME_OBJECTS = ['LoginEvent', 'LogoutEvent', 'LoginAsEvent', 'UriEvent', 'SetupAuditTrail'];

/** The time field an object's events are placed and read by. */
export function timeFieldOf(o: RealtimeObject): 'EventDate' | 'CreatedDate' {
  return o.kind === 'storage-event' ? 'EventDate' : 'CreatedDate';
}

/** The `p_log_type` of an object's events, told apart from EventLogFile types by the object name. */
export function logTypeOf(objectName: string): string {
  return `Salesforce.${objectName}`;
}

/**
 * The pairs of a source's configuration that would record the same activity twice: an EventLogFile type and the
 * storage event of the same activity. `eventTypes` `*` overlaps with every storage event.
 */
export function overlappingPairs(
  eventTypes: readonly string[],
  objects: readonly string[],
): { eventType: string; object: string }[] {
  const all = eventTypes.includes('*');
  const types = new Set(eventTypes.map((t) => t.toLowerCase()));
  const pairs: { eventType: string; object: string }[] = [];
  for (const name of objects) {
    const o = REALTIME_OBJECTS.get(name);
    if (!o) continue;
    for (const t of o.sameActivityAs)
      if (all || types.has(t.toLowerCase())) pairs.push({ eventType: all ? '*' : t, object: name });
  }
  return pairs;
}
