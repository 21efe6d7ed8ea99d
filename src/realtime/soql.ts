/** SOQL of the real-time channel, from typed input (pure). */
import { soqlDateTime, soqlId } from '../salesforce/soql';
import type { RealtimeCursor } from './cursor';
import type { RealtimeObject } from './objects';

/**
 * Storage events of [from, upper) by EventDate. Filters on EventDate only: big objects can be filtered only on
 * EventDate, or EventDate with EventIdentifier; no ORDER BY (the reader takes the whole window and sorts it), no
 * OFFSET, and no Id (it comes back empty).
 * https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/real_time_event_monitoring_storage.htm
 */
export function storageEventQuery(object: RealtimeObject, from: string, upper: string): string {
  return (
    `SELECT ${object.fields.join(', ')} FROM ${object.name} ` +
    `WHERE EventDate >= ${soqlDateTime(from, 'ceil')} AND EventDate < ${soqlDateTime(upper, 'ceil')}`
  );
}

/**
 * SetupAuditTrail records after the cursor's keyset `(CreatedDate, Id)` (or from `through` on the first read),
 * created before `upper`, in keyset order; `limit` rows at most.
 */
export function auditTrailQuery(object: RealtimeObject, cursor: RealtimeCursor, upper: string, limit: number): string {
  const after = cursor.after;
  const lower = after
    ? `(CreatedDate > ${soqlDateTime(after.createdDate, 'floor')} OR ` +
      `(CreatedDate = ${soqlDateTime(after.createdDate, 'floor')} AND Id > ${soqlId(after.id)}))`
    : `CreatedDate >= ${soqlDateTime(cursor.through, 'ceil')}`;
  return (
    `SELECT ${object.fields.join(', ')} FROM ${object.name} ` +
    `WHERE ${lower} AND CreatedDate < ${soqlDateTime(upper, 'ceil')} ORDER BY CreatedDate ASC, Id ASC LIMIT ${limit}`
  );
}
