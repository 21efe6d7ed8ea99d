/** Whether the integration user can read each real-time object, for `elfstream verify`. */
import type { SalesforceClient } from '../salesforce/client';
import { SalesforceError } from '../salesforce/errors';
import { wholeSecond } from './cursor';
import { REALTIME_OBJECTS } from './objects';
import { auditTrailQuery, storageEventQuery } from './soql';

export interface RealtimeAccess {
  object: string;
  ok: boolean;
  /** What is missing (licence, permission, API version), as Salesforce's refusal says it. */
  problem?: string;
}

/** Runs the query elfstream runs for each object over the last minute; a refusal says what the user lacks. */
export async function probeRealtimeAccess(
  client: SalesforceClient,
  objects: readonly string[],
  nowMs: number,
): Promise<RealtimeAccess[]> {
  const from = wholeSecond(nowMs - 60_000);
  const to = wholeSecond(nowMs);
  const out: RealtimeAccess[] = [];
  for (const name of objects) {
    const object = REALTIME_OBJECTS.get(name);
    if (!object) {
      out.push({ object: name, ok: false, problem: 'not an object elfstream reads in real time' });
      continue;
    }
    const soql =
      object.kind === 'storage-event'
        ? storageEventQuery(object, from, to)
        : auditTrailQuery(object, { through: from }, to, 1);
    try {
      await client.queryRealtime(name, soql, 1);
      out.push({ object: name, ok: true });
    } catch (err) {
      if (!(err instanceof SalesforceError)) throw err;
      out.push({ object: name, ok: false, problem: err.message });
    }
  }
  return out;
}
