/**
 * The EventLogFile sObject: its fields (name, type, properties, the API version that introduced them), the value
 * of a field for a file, and records serialized exactly as REST returns them.
 */
import type { SimFile } from './sim-file';
import { sfDateTime } from './time-format';

/** Salesforce field types used by EventLogFile. */
export type FieldType =
  'id' | 'picklist' | 'datetime' | 'base64' | 'double' | 'string' | 'int' | 'boolean' | 'reference';

/** One field of EventLogFile. */
export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  filterable: boolean;
  sortable: boolean;
  groupable: boolean;
  nillable: boolean;
  length: number;
  /** First API version with the field. */
  since: number;
  referenceTo?: string;
  relationshipName?: string;
}

const f = (
  name: string,
  label: string,
  type: FieldType,
  props: Partial<Omit<FieldDef, 'name' | 'label' | 'type'>> = {},
): FieldDef => ({
  name,
  label,
  type,
  filterable: true,
  sortable: true,
  groupable: false,
  nillable: false,
  length: 0,
  since: 32,
  ...props,
});

/** EventLogFile fields in describe order (properties from the field reference). */
export const ELF_FIELDS: readonly FieldDef[] = [
  f('Id', 'Event Log File ID', 'id', { groupable: true, length: 18 }),
  f('IsDeleted', 'Deleted', 'boolean', { groupable: true }),
  f('CreatedDate', 'Created Date', 'datetime'),
  f('CreatedById', 'Created By ID', 'reference', {
    groupable: true,
    length: 18,
    referenceTo: 'User',
    relationshipName: 'CreatedBy',
  }),
  f('LastModifiedDate', 'Last Modified Date', 'datetime'),
  f('LastModifiedById', 'Last Modified By ID', 'reference', {
    groupable: true,
    length: 18,
    referenceTo: 'User',
    relationshipName: 'LastModifiedBy',
  }),
  f('SystemModstamp', 'System Modstamp', 'datetime'),
  f('EventType', 'Event Type', 'picklist', { groupable: true, length: 255 }),
  f('LogDate', 'Log Date', 'datetime'),
  f('LogFileLength', 'Log File Length', 'double'),
  f('LogFileContentType', 'Log File Content Type', 'string', { groupable: true, length: 255 }),
  f('ApiVersion', 'API Version', 'double'),
  f('Sequence', 'Sequence', 'int', { groupable: true, since: 37 }),
  f('Interval', 'Interval', 'picklist', { groupable: true, nillable: true, length: 255, since: 37 }),
  f('LogFileFieldNames', 'Log File Field Names', 'string', {
    filterable: false,
    sortable: false,
    nillable: true,
    length: 1333,
  }),
  f('LogFileFieldTypes', 'Log File Field Types', 'string', {
    filterable: false,
    sortable: false,
    nillable: true,
    length: 1333,
  }),
  f('LogFile', 'Log File', 'base64', { filterable: false, sortable: false }),
];

/** The fields visible in an API version. */
export function fieldsForVersion(version: number, org: OrgFields = { hourly: true }): FieldDef[] {
  return ELF_FIELDS.filter((d) => exists(d, version, org));
}

/** What about the org decides its fields: `Interval` exists only in orgs with hourly files. */
export interface OrgFields {
  hourly: boolean;
}

function exists(d: FieldDef, version: number, org: OrgFields): boolean {
  return version >= d.since && (d.name !== 'Interval' || org.hourly);
}

/** A field by case-insensitive name if it exists in `version`. */
export function findField(name: string, version: number, org: OrgFields = { hourly: true }): FieldDef | undefined {
  const lower = name.toLowerCase();
  return ELF_FIELDS.find((d) => d.name.toLowerCase() === lower && exists(d, version, org));
}

/** Facts a record needs besides the file itself. */
export interface RecordContext {
  /** API version of the request, e.g. `62.0`. */
  version: string;
  /** User that "created" the files (the Automated Process user). */
  systemUserId: string;
  /** Byte length of a file, computed lazily. */
  length(file: SimFile): number;
}

/** A field value: strings, numbers, booleans, instants as epoch ms (for datetime fields) or null. */
export type FieldValue = string | number | boolean | null;

/** The value of a field for a file, as the query engine compares it. */
export function fieldValue(file: SimFile, field: FieldDef, ctx: RecordContext): FieldValue {
  switch (field.name) {
    case 'Id':
      return file.id;
    case 'IsDeleted':
      return false;
    case 'CreatedDate':
    case 'LastModifiedDate':
    case 'SystemModstamp':
      return file.createdMs;
    case 'CreatedById':
    case 'LastModifiedById':
      return ctx.systemUserId;
    case 'EventType':
      return file.eventType;
    case 'LogDate':
      return file.logDateMs;
    case 'LogFileLength':
      return ctx.length(file);
    case 'LogFileContentType':
      return 'CSV';
    case 'ApiVersion':
      return file.apiVersion;
    case 'Sequence':
      return file.sequence;
    case 'Interval':
      return file.interval;
    case 'LogFileFieldNames':
      return file.fieldNames;
    case 'LogFileFieldTypes':
      return file.fieldTypes;
    case 'LogFile':
      return blobPath(file.id, ctx.version);
    default:
      throw new Error(`unknown EventLogFile field ${field.name}`);
  }
}

/** Relative URL of a file's blob, as the `LogFile` field shows it. */
export function blobPath(id: string, version: string): string {
  return `/services/data/v${version}/sobjects/EventLogFile/${id}/LogFile`;
}

/** A value as JSON text; doubles keep their `.0` like Salesforce's serializer writes them. */
function jsonValue(field: FieldDef, value: FieldValue): string {
  if (value === null) return 'null';
  if (field.type === 'datetime' && typeof value === 'number') return JSON.stringify(sfDateTime(value));
  if (field.type === 'double' && typeof value === 'number') return Number.isInteger(value) ? `${value}.0` : `${value}`;
  return JSON.stringify(value);
}

/** One record as REST JSON text: `attributes` first, then the fields in the order asked. */
export function recordJson(file: SimFile, fields: readonly FieldDef[], ctx: RecordContext): string {
  let json = `{"attributes":{"type":"EventLogFile","url":${JSON.stringify(
    `/services/data/v${ctx.version}/sobjects/EventLogFile/${file.id}`,
  )}}`;
  for (const field of fields)
    json += `,${JSON.stringify(field.name)}:${jsonValue(field, fieldValue(file, field, ctx))}`;
  return json + '}';
}
