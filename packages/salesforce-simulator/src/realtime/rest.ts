/** `/query` for the real-time objects: access rules, the query rules of `query.ts`, `nextRecordsUrl` pages. */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context';
import { JSON_TYPE, sendBody, sendRestError } from '../http-util';
import { to18 } from '../ids';
import { SoqlError } from '../soql-lexer';
import type { RealtimeObjectDef } from './catalog';
import { executeRealtimeQuery, parseRealtimeQuery, realtimeRecordJson } from './query';

const BATCH = 2000;
const MAX_PAGES_KEPT = 50;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Results awaiting their next pages, by cursor id (the part of the locator before the dash). */
export type RealtimeResults = Map<string, { records: string[]; batch: number }>;

/**
 * Whether the API user can query the object: storage events need the Shield or Event Monitoring add-on with the
 * "View Real-Time Event Monitoring Data" permission (and their API version); SetupAuditTrail needs "View Setup and
 * Configuration".
 */
export function realtimeAccessible(ctx: SimContext, object: RealtimeObjectDef, version: number): boolean {
  if (version < object.since) return false;
  if (object.kind === 'audit-trail') return ctx.org.viewSetupAndConfiguration;
  return ctx.org.eventMonitoringEnabled && ctx.org.viewRealTimeEventMonitoringData;
}

export function handleRealtimeQuery(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  v: { text: string; num: number },
  soql: string,
  object: RealtimeObjectDef,
  headers: Record<string, string>,
): void {
  let query;
  try {
    query = parseRealtimeQuery(soql, realtimeAccessible(ctx, object, v.num));
  } catch (err) {
    if (err instanceof SoqlError) return sendRestError(req, res, 400, err.errorCode, err.message, headers);
    throw err;
  }
  const rows = executeRealtimeQuery(query, ctx.realtime.visible(object, ctx.clock.now()));
  const records = rows.map((r) => realtimeRecordJson(query, r, v.text));
  let cursorId: string | undefined;
  if (records.length > BATCH) {
    cursorId = to18('01g5j' + Array.from(randomBytes(10), (b) => BASE62.charAt(b % 62)).join(''));
    ctx.realtimeResults.set(cursorId, { records, batch: BATCH });
    while (ctx.realtimeResults.size > MAX_PAGES_KEPT)
      ctx.realtimeResults.delete(ctx.realtimeResults.keys().next().value!);
  }
  sendRealtimePage(req, res, v.text, records, 0, BATCH, cursorId, headers);
}

/** A `nextRecordsUrl` page of a real-time query, or false when the locator is not one of ours. */
export function handleRealtimeQueryMore(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  version: string,
  locator: string,
  headers: Record<string, string>,
): boolean {
  const m = /^(01g[0-9A-Za-z]{15})-(\d+)$/.exec(locator);
  const result = m ? ctx.realtimeResults.get(m[1] ?? '') : undefined;
  if (!m || !result) return false;
  const offset = Number(m[2]);
  if (offset > result.records.length) return false;
  sendRealtimePage(req, res, version, result.records, offset, result.batch, m[1], headers);
  return true;
}

function sendRealtimePage(
  req: IncomingMessage,
  res: ServerResponse,
  version: string,
  records: readonly string[],
  offset: number,
  batch: number,
  cursorId: string | undefined,
  headers: Record<string, string>,
): void {
  const end = Math.min(records.length, offset + batch);
  const done = end >= records.length;
  const next = done
    ? ''
    : `,"nextRecordsUrl":${JSON.stringify(`/services/data/v${version}/query/${cursorId ?? ''}-${end}`)}`;
  const body = `{"totalSize":${records.length},"done":${done}${next},"records":[${records.slice(offset, end).join(',')}]}`;
  sendBody(req, res, 200, JSON_TYPE, body, headers);
}
