/**
 * The real-time objects the simulator serves: Real-Time Event Monitoring storage events (big objects) and
 * SetupAuditTrail, with their fields and the query rules Salesforce documents for them.
 *
 * Storage events are big objects: SOQL may filter only on EventDate, or EventDate and EventIdentifier together
 * (ReportEvent also UserId, not simulated); `Id` is not a real column (selecting it returns an empty id); OFFSET
 * and aggregates are not available.
 * https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/real_time_event_monitoring_storage.htm
 * https://developer.salesforce.com/docs/atlas.en-us.246.0.soql_sosl.meta/soql_sosl/big_object_querying.htm
 * Access needs the Shield or Event Monitoring add-on and the "View Real-Time Event Monitoring Data" permission
 * (e.g. https://developer.salesforce.com/docs/platform/platform-events/guide/sforce-api-objects-logoutevent.html).
 *
 * SetupAuditTrail is a standard object kept at least 180 days; Display is sortable but not filterable.
 * https://developer.salesforce.com/docs/atlas.en-us.264.0.object_reference.meta/object_reference/sforce_api_objects_setupaudittrail.htm
 */

export type RealtimeFieldType = 'datetime' | 'string' | 'id' | 'double';

export interface RealtimeField {
  name: string;
  type: RealtimeFieldType;
  filterable: boolean;
  sortable: boolean;
}

export interface RealtimeObjectDef {
  name: string;
  kind: 'storage-event' | 'audit-trail';
  /** First API version with the object. */
  since: number;
  fields: readonly RealtimeField[];
}

/** The empty id a big object returns for `Id`. */
export const EMPTY_BIG_OBJECT_ID = '000000000000000AAA';
/** Storage events are kept about six months; the Setup Audit Trail at least 180 days. */
export const REALTIME_RETENTION_MS = 180 * 24 * 3600_000;

const field = (name: string, type: RealtimeFieldType, filterable = false, sortable = filterable): RealtimeField => ({
  name,
  type,
  filterable,
  sortable,
});

const EVENT_BASE: readonly RealtimeField[] = [
  field('Id', 'id'),
  field('EventDate', 'datetime', true),
  field('EventIdentifier', 'string', true),
  field('UserId', 'id'),
  field('Username', 'string'),
  field('SessionKey', 'string'),
  field('LoginKey', 'string'),
  field('SourceIp', 'string'),
  field('CreatedDate', 'datetime'),
  field('CreatedById', 'id'),
];

const event = (name: string, since: number, extra: readonly string[]): RealtimeObjectDef => ({
  name,
  kind: 'storage-event',
  since,
  fields: [...EVENT_BASE, ...extra.map((n) => field(n, n === 'RowsProcessed' ? 'double' : 'string'))],
});

export const REALTIME_OBJECT_DEFS: readonly RealtimeObjectDef[] = [
  event('LoginEvent', 36, [
    'LoginType',
    'Status',
    'Application',
    'Browser',
    'Platform',
    'CountryIso',
    'LoginUrl',
    'ApiType',
    'ApiVersion',
  ]),
  event('LogoutEvent', 46, []),
  event('LoginAsEvent', 46, ['DelegatedUsername', 'LoginAsCategory', 'Application']),
  event('UriEvent', 46, ['Operation', 'QueriedEntities', 'RecordId', 'Uri']),
  event('LightningUriEvent', 46, ['Operation', 'PageUrl', 'RecordId', 'QueriedEntities']),
  event('ApiEvent', 46, ['ApiType', 'ApiVersion', 'Operation', 'QueriedEntities', 'RowsProcessed']),
  event('ReportEvent', 46, ['ReportId', 'Operation', 'RowsProcessed', 'QueriedEntities']),
  event('ListViewEvent', 46, ['ListViewId', 'Operation', 'RowsProcessed', 'QueriedEntities']),
  {
    name: 'SetupAuditTrail',
    kind: 'audit-trail',
    since: 15,
    fields: [
      field('Id', 'id', true),
      field('CreatedDate', 'datetime', true),
      field('CreatedById', 'id', true),
      field('Action', 'string', true),
      field('Section', 'string', false, true),
      field('Display', 'string', false, true),
      field('DelegateUser', 'string', true),
    ],
  },
];

/** An object by case-insensitive name. */
export function findRealtimeObject(name: string): RealtimeObjectDef | undefined {
  const lower = name.toLowerCase();
  return REALTIME_OBJECT_DEFS.find((o) => o.name.toLowerCase() === lower);
}
