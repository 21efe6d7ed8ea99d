/** SOQL over REST: `/query?q=`, `/queryAll?q=` and their `nextRecordsUrl` pages. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { elfAccessible, recordContext } from './context';
import { JSON_TYPE, queryOf, sendBody, sendRestError } from './http-util';
import type { FieldDef } from './records';
import { recordJson } from './records';
import type { SimFile } from './sim-file';
import { handleRealtimeQuery, handleRealtimeQueryMore } from './realtime/rest';
import { realtimeObjectOf } from './realtime/query';
import { executeSoql, parseSoql, SoqlError } from './soql';

const DEFAULT_BATCH = 2000;
const MIN_BATCH = 200;

/** `Sforce-Query-Options: batchSize=N`, clamped to Salesforce's 200..2000; default 2000. */
export function batchSizeOf(req: IncomingMessage): number | undefined {
  const header = req.headers['sforce-query-options'];
  const m = typeof header === 'string' ? /(?:^|[,;\s])batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!m) return undefined;
  return Math.min(DEFAULT_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}

/** Runs a query and sends its first page. */
export function handleQuery(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  v: { text: string; num: number },
  scanAll: boolean,
  headers: Record<string, string>,
): void {
  const soql = queryOf(req).get('q');
  if (soql === null || soql.trim() === '') {
    return sendRestError(req, res, 400, 'MALFORMED_QUERY', 'A query string has to be specified', headers);
  }
  const realtimeObject = realtimeObjectOf(soql);
  if (realtimeObject) return handleRealtimeQuery(ctx, req, res, v, soql, realtimeObject, headers);
  const now = ctx.clock.now();
  let query;
  try {
    query = parseSoql(soql, {
      version: v.num,
      nowMs: now,
      objectAccessible: elfAccessible(ctx, v.num),
      hourly: ctx.org.hourlyEnabled,
    });
  } catch (err) {
    if (err instanceof SoqlError) return sendRestError(req, res, 400, err.errorCode, err.message, headers);
    throw err;
  }
  const rctx = recordContext(ctx, v.text);
  // queryAll would add deleted records; ELF files removed by retention are gone for good, so both see the same.
  const files = executeSoql(query, ctx.world.visible(now, ctx.org.hourlyEnabled), rctx);
  if (query.count) {
    return sendBody(req, res, 200, JSON_TYPE, `{"totalSize":${files.length},"done":true,"records":[]}`, headers);
  }
  const batch = batchSizeOf(req) ?? DEFAULT_BATCH;
  const cursor = files.length > batch ? ctx.cursors.open(files, query.fields, batch) : undefined;
  sendPage(ctx, req, res, v.text, scanAll, files, query.fields, 0, batch, cursor, headers);
}

/** Sends the page a locator (`01g…-2000`) points at. */
export function handleQueryMore(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  v: { text: string; num: number },
  scanAll: boolean,
  locator: string,
  headers: Record<string, string>,
): void {
  if (handleRealtimeQueryMore(ctx, req, res, v.text, locator, headers)) return;
  const m = /^(01g[0-9A-Za-z]{15})-(\d+)$/.exec(locator);
  const cursor = m ? ctx.cursors.get(m[1] ?? '') : undefined;
  const offset = Number(m?.[2]);
  if (!m || !cursor || offset > cursor.files.length) {
    return sendRestError(req, res, 400, 'INVALID_QUERY_LOCATOR', 'invalid query locator', headers);
  }
  const batch = batchSizeOf(req) ?? cursor.batchSize;
  sendPage(ctx, req, res, v.text, scanAll, cursor.files, cursor.fields, offset, batch, m[1], headers);
}

function sendPage(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  version: string,
  scanAll: boolean,
  files: readonly SimFile[],
  fields: readonly FieldDef[],
  offset: number,
  batch: number,
  cursorId: string | undefined,
  headers: Record<string, string>,
): void {
  const rctx = recordContext(ctx, version);
  const end = Math.min(files.length, offset + batch);
  const records = files.slice(offset, end).map((f) => recordJson(f, fields, rctx));
  const done = end >= files.length;
  const next = done
    ? ''
    : `,"nextRecordsUrl":${JSON.stringify(`/services/data/v${version}/${scanAll ? 'queryAll' : 'query'}/${cursorId ?? ''}-${end}`)}`;
  const body = `{"totalSize":${files.length},"done":${done}${next},"records":[${records.join(',')}]}`;
  sendBody(req, res, 200, JSON_TYPE, body, headers);
}
