import crypto from 'node:crypto';
import { Context, heartbeat, log } from '@temporalio/activity';
import { ChunkedOutput } from '../ingest/chunked-output';
import {
  advanceEventCursor,
  canNarrow,
  narrowedUpper,
  wholeSecond,
  type RealtimeCursor,
  type SeenEvent,
} from '../realtime/cursor';
import { createRecordNormalizer, recordKey, recordTime, type RealtimeRecord } from '../realtime/normalize-record';
import { REALTIME_OBJECTS, type RealtimeObject } from '../realtime/objects';
import { auditTrailQuery, storageEventQuery } from '../realtime/soql';
import type { SalesforceClient } from '../salesforce/client';
import type { LogFileRef } from '../sinks/types';
import type { ActivityDeps } from './deps';
import { findSource } from './deps';
import { configFailure, toActivityFailure } from './failures';
import { startPoint } from './login';
import { recordApiUsage } from './metrics';
import type { RealtimeLoginResult, RealtimeReadInput, RealtimeReadResult } from './types';

/** Logs in and returns the source's real-time settings (read from the worker's configuration at each cycle). */
export function makeRealtimeLogin(deps: ActivityDeps) {
  return async function realtimeLogin(input: { sourceId: string }): Promise<RealtimeLoginResult> {
    const source = findSource(deps.config, input.sourceId);
    if (!source.realtime) {
      throw configFailure(
        `source "${source.id}" has no realtime settings in ${deps.config.configPath}: add a realtime mapping, ` +
          `or stop its real-time workflow with \`elfstream stop ${source.id}\``,
      );
    }
    try {
      const org = await deps.salesforce(source).login();
      return {
        orgId: org.orgId,
        label: source.label,
        objects: source.realtime.objects,
        schedule: source.realtime.schedule,
        startFrom: startPoint(source.startFrom),
      };
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}

/**
 * Reads one object from its cursor up to `until` and writes the new records to the sink as one output unit, keyed
 * by the input: a retried read (after a crash or timeout) rewrites the same unit, so the output holds each record
 * once. Returns only the new cursor and counts, never the records.
 */
export function makeReadRealtimeObject(deps: ActivityDeps) {
  return async function readRealtimeObject(input: RealtimeReadInput): Promise<RealtimeReadResult> {
    const source = findSource(deps.config, input.sourceId);
    const object = REALTIME_OBJECTS.get(input.object);
    if (!object) throw configFailure(`"${input.object}" is not an object elfstream reads in real time`);
    const client = deps.salesforce(source);
    try {
      client.assertApiBudget(source.apiReserve);
      const read =
        object.kind === 'storage-event'
          ? await readStorageEvents(client, object, input)
          : await readAuditTrail(client, object, input);
      const written = await writeRecords(deps, source, object, input, read.records);
      recordApiUsage(input.sourceId, client.apiUsage());
      if (written > 0) log.info('wrote real-time records', { object: object.name, written, more: read.more });
      const newest = read.records.map((r) => recordTime(object, r)).filter((t): t is string => t !== undefined);
      return { cursor: read.cursor, written, more: read.more, newestEventTime: newest.sort().at(-1) };
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}

interface ObjectRead {
  /** The records to write (new ones only), in output order. */
  records: RealtimeRecord[];
  cursor: RealtimeCursor;
  /** The read stopped before `until`: read again at once. */
  more: boolean;
}

/**
 * Storage events of [cursor.from, upper): `upper` starts at `until` and is halved towards `through` while the
 * window holds more than `maxRecords` (no OFFSET on big objects). Events already written are dropped.
 */
async function readStorageEvents(
  client: SalesforceClient,
  object: RealtimeObject,
  input: RealtimeReadInput,
): Promise<ObjectRead> {
  const { cursor, maxRecords } = input;
  const from = cursor.from ?? cursor.through;
  let upper = Date.parse(input.until) > Date.parse(cursor.through) ? input.until : cursor.through;
  let result = await client.queryRealtime(object.name, storageEventQuery(object, from, upper), maxRecords);
  while (result.totalSize > maxRecords && canNarrow(cursor.through, upper)) {
    heartbeat({ upper });
    upper = narrowedUpper(cursor.through, upper);
    result = await client.queryRealtime(object.name, storageEventQuery(object, from, upper), maxRecords);
  }
  if (result.totalSize > maxRecords) {
    // One second holds more than a read takes: read it whole (ties on EventDate cannot be split without OFFSET).
    result = await client.queryRealtime(object.name, storageEventQuery(object, from, upper), Infinity);
  }
  const seen = new Set(cursor.seen ?? []);
  const fresh: { record: RealtimeRecord; event: SeenEvent }[] = [];
  for (const record of result.records) {
    const eventDate = recordTime(object, record);
    const eventIdentifier = recordKey(object, record);
    if (eventDate === undefined || eventIdentifier === '') continue;
    const event = { eventDate, eventIdentifier };
    const key = `${eventDate}|${eventIdentifier}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push({ record, event });
  }
  fresh.sort(
    (a, b) =>
      compare(a.event.eventDate, b.event.eventDate) || compare(a.event.eventIdentifier, b.event.eventIdentifier),
  );
  return {
    records: fresh.map((f) => f.record),
    cursor: advanceEventCursor(
      cursor,
      fresh.map((f) => f.event),
      upper,
      input.until,
    ),
    more: Date.parse(upper) < Date.parse(input.until),
  };
}

/** SetupAuditTrail records after the keyset, created before `until`, at most `maxRecords`. */
async function readAuditTrail(
  client: SalesforceClient,
  object: RealtimeObject,
  input: RealtimeReadInput,
): Promise<ObjectRead> {
  const { cursor, maxRecords } = input;
  const result = await client.queryRealtime(
    object.name,
    auditTrailQuery(object, cursor, input.until, maxRecords + 1),
    maxRecords + 1,
  );
  const more = result.records.length > maxRecords;
  const records = result.records.slice(0, maxRecords);
  const last = records.at(-1);
  const lastTime = last ? recordTime(object, last) : undefined;
  const after = last && lastTime ? { createdDate: lastTime, id: recordKey(object, last) } : cursor.after;
  const through = more && lastTime ? wholeSecond(Date.parse(lastTime)) : input.until;
  return { records, cursor: { through, ...(after ? { after } : {}) }, more };
}

/** Writes the records as one output unit (chunked as files are); returns how many. */
async function writeRecords(
  deps: ActivityDeps,
  source: { label: string; chunkRows: number },
  object: RealtimeObject,
  input: RealtimeReadInput,
  records: readonly RealtimeRecord[],
): Promise<number> {
  if (records.length === 0) return 0;
  const ref: LogFileRef = {
    sourceId: input.sourceId,
    orgId: input.orgId,
    fileId: readKey(input),
    eventType: object.name,
    logDate: input.cursor.from ?? input.cursor.through,
    interval: 'Hourly',
    sequence: 0,
  };
  const normalize = createRecordNormalizer(object, {
    sourceId: input.sourceId,
    sourceLabel: source.label,
    orgId: input.orgId,
    parseTime: input.parseTime,
  });
  const out = new ChunkedOutput(
    deps.sink,
    ref,
    source.chunkRows,
    0,
    0,
    (p) => heartbeat({ chunk: p.chunk }),
    Context.current().cancellationSignal,
  );
  try {
    for (const record of records) await out.writeLine(normalize(record));
    await out.finish();
  } catch (err) {
    await out.abort();
    throw err;
  }
  await deps.sink.completeFile(ref, {
    rows: records.length,
    chunks: out.committed,
    chunkCount: out.chunkCount,
    malformedRows: 0,
    unknownColumns: [],
    completedAt: input.parseTime,
  });
  return records.length;
}

/** The output key of a read: the same input (a retry) names the same output. */
export function readKey(input: Pick<RealtimeReadInput, 'object' | 'cursor' | 'until'>): string {
  const digest = crypto
    .createHash('sha256')
    .update(JSON.stringify([input.object, input.cursor, input.until]))
    .digest('hex');
  return `rt${digest.slice(0, 24)}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
