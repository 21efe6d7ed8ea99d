/**
 * Queries of the real-time channel (storage events, SetupAuditTrail) and the messages for what Salesforce refuses
 * about them: the generic classification speaks of EventLogFile, these name the object, the licence and the
 * permission it needs, or the query rule that was broken.
 */
import { SalesforceError } from './errors';
import type { CallContext, SalesforceSession } from './session';

/** What one query returned: its records (all of them, or none when it matched more than `max`) and its total. */
export interface RealtimeQueryResult {
  records: Record<string, unknown>[];
  totalSize: number;
}

interface QueryPage {
  totalSize?: number;
  done?: boolean;
  nextRecordsUrl?: string;
  records?: Record<string, unknown>[];
}

/**
 * Runs `soql`; when it matches at most `max` records, reads them all through `nextRecordsUrl`, else returns the
 * total only (the caller narrows the window: big objects have no OFFSET).
 *
 * @throws SalesforceError with a message about `objectName`
 */
export async function queryRealtimeObject(
  session: SalesforceSession,
  objectName: string,
  soql: string,
  max: number,
  call: CallContext,
): Promise<RealtimeQueryResult> {
  const request = { ...call, operation: 'query' as const, headers: { 'Sforce-Query-Options': 'batchSize=2000' } };
  try {
    let page = await session.get<QueryPage>(
      `/services/data/v${session.apiVersion}/query?q=${encodeURIComponent(soql)}`,
      request,
    );
    const totalSize = page.totalSize ?? page.records?.length ?? 0;
    if (totalSize > max) return { records: [], totalSize };
    const records = [...(page.records ?? [])];
    while (page.done === false && page.nextRecordsUrl) {
      page = await session.get<QueryPage>(page.nextRecordsUrl, request);
      records.push(...(page.records ?? []));
    }
    return { records, totalSize };
  } catch (err) {
    if (err instanceof SalesforceError) throw realtimeError(err, objectName);
    throw err;
  }
}

/** Re-words a permission or query failure for a real-time object; other failures pass unchanged. */
export function realtimeError(err: SalesforceError, objectName: string): SalesforceError {
  const said = /Salesforce said: (".*")$/s.exec(err.message)?.[1];
  const quote = said ? ` Salesforce said: ${said}` : '';
  const code = err.errorCode ?? `HTTP ${err.status ?? '?'}`;
  let message: string | undefined;
  if (err.kind === 'permission') {
    message =
      objectName === 'SetupAuditTrail'
        ? `SetupAuditTrail is not accessible to the integration user (${code}): grant it the permission ` +
          "'View Setup and Configuration' (and 'API Enabled')."
        : `${objectName} is not accessible to the integration user (${code}): Real-Time Event Monitoring storage ` +
          'events need the Salesforce Shield or Event Monitoring add-on licence, and the permission ' +
          "'View Real-Time Event Monitoring Data'; the object also needs salesforce.apiVersion 46.0 or later " +
          '(LoginEvent 36.0). Or remove it from realtime.objects.';
  } else if (err.kind === 'invalid-request') {
    message =
      `Salesforce rejected the query of ${objectName} (${code}): ` +
      (objectName === 'SetupAuditTrail'
        ? 'this is a bug in elfstream or an org setup it does not support; please report it.'
        : 'storage events are big objects, queried only by EventDate (and EventIdentifier), without OFFSET and ' +
          'without selecting Id; a field elfstream selects may also be missing at the configured ' +
          'salesforce.apiVersion: raise it, or report the message.');
  }
  if (message === undefined) return err;
  return new SalesforceError({
    kind: err.kind,
    message: message + quote,
    errorCode: err.errorCode,
    status: err.status,
    sourceId: err.sourceId,
    endpoint: err.endpoint,
  });
}
