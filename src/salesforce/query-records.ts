/**
 * Running one SOQL query through the REST `query` resource, page by page.
 *
 * The session's own GET is used rather than jsforce's `conn.query()`: it keeps the session's per-request handling
 * (bounded retries, timeout, Sforce-Limit-Info, one refresh) and no `maxFetch` can truncate a result silently.
 */
import type { CallContext, SalesforceSession } from './session';

/** A REST query response page. */
interface QueryResult<T> {
  totalSize?: number;
  done?: boolean;
  nextRecordsUrl?: string;
  records?: T[];
}

/** Options of {@link queryRecords}. */
export interface QueryRecordsOptions extends CallContext {
  /** Stop once this many records are in hand (no further `nextRecordsUrl` is followed). */
  max: number;
  /** Records per page (`Sforce-Query-Options: batchSize`, 200..2000; Salesforce treats it as a hint). */
  batchSize?: number;
}

/**
 * Runs `soql` and follows `nextRecordsUrl` until `max` records or the end of the result.
 *
 * @throws SalesforceError
 */
export async function queryRecords<T>(
  session: SalesforceSession,
  soql: string,
  options: QueryRecordsOptions,
): Promise<T[]> {
  const { max, batchSize, ...call } = options;
  const headers = batchSize ? { 'Sforce-Query-Options': `batchSize=${batchSize}` } : undefined;
  const request = { ...call, operation: 'query' as const, headers };
  let page = await session.get<QueryResult<T>>(
    `/services/data/v${session.apiVersion}/query?q=${encodeURIComponent(soql)}`,
    request,
  );
  const records: T[] = [...(page.records ?? [])];
  // `done` may be missing on an empty result; a missing locator ends the walk either way.
  while (page.done === false && page.nextRecordsUrl && records.length < max) {
    page = await session.get<QueryResult<T>>(page.nextRecordsUrl, request);
    records.push(...(page.records ?? []));
  }
  return records.slice(0, max);
}
