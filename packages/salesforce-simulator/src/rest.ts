/**
 * REST API under `/services/data`: versions, resources, limits, EventLogFile describe / retrieve / LogFile blob,
 * and SOQL `query` / `queryAll` with `nextRecordsUrl` paging. Every versioned request needs a session and counts
 * one API call; responses carry `Sforce-Limit-Info`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendBlob } from './blob';
import type { SimContext } from './context';
import { elfAccessible, isRetiredVersion, MIN_API_VERSION, recordContext, servedVersion } from './context';
import { describeEventLogFile } from './describe';
import { JSON_TYPE, queryOf, sendBody, sendRestError } from './http-util';
import { normalizeId } from './ids';
import { limitsDocument } from './limits';
import { handleQuery, handleQueryMore } from './rest-query';
import { fieldsForVersion, findField, recordJson } from './records';
import { bearerToken } from './sessions';

/** Salesforce release names by API version: 20.0 was Winter '11, three releases a year since. */
function releaseLabel(version: number): string {
  const k = version - 20;
  const season = ['Winter', 'Spring', 'Summer'][k % 3] as string;
  return `${season} '${String(11 + Math.floor(k / 3)).padStart(2, '0')}`;
}

/** Sends NOT_FOUND as Salesforce words it. */
export function notFound(req: IncomingMessage, res: ServerResponse, headers: Record<string, string> = {}): void {
  sendRestError(req, res, 404, 'NOT_FOUND', 'The requested resource does not exist', headers);
}

type Route = {
  pattern: RegExp;
  methods: string[];
  run(m: RegExpExecArray, v: { text: string; num: number }, headers: Record<string, string>): Promise<void> | void;
};

/** Handles a request whose path starts with `/services/data`. */
export async function handleData(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (path === '/services/data' || path === '/services/data/') {
    // The versions list needs no session, as on Salesforce.
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(req, res, ['GET', 'HEAD'], {});
    const versions = [];
    for (let v = MIN_API_VERSION; v <= ctx.apiVersionMax; v++) {
      versions.push({ label: releaseLabel(v), url: `/services/data/v${v}.0`, version: `${v}.0` });
    }
    return sendBody(req, res, 200, JSON_TYPE, JSON.stringify(versions));
  }
  const m = /^\/services\/data\/v([^/]+)(\/.*)?$/.exec(path);
  const versionText = m?.[1] ?? '';
  const version = servedVersion(ctx, versionText);
  if (m && version === undefined && isRetiredVersion(versionText)) {
    // "API End-of-Life Policy": a retired API version answers REST requests with 410:GONE
    // (https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/securityImplGuide/api_rest_eol.htm).
    return sendRestError(
      req,
      res,
      410,
      'GONE',
      `API version ${versionText} has been retired and is no longer available.`,
    );
  }
  if (!m || version === undefined) return notFound(req, res);
  const token = bearerToken(req.headers.authorization);
  if (!token || !ctx.sessions.touch(token)) return invalidSession(req, res);
  if (ctx.faults.sessionsExpireNow()) {
    ctx.sessions.revokeAll();
    return invalidSession(req, res);
  }
  const { org } = ctx;
  if (!org.apiEnabled) {
    return sendRestError(req, res, 403, 'API_DISABLED_FOR_ORG', 'The REST API is not enabled for this Organization.');
  }
  if (org.apiUsed >= org.apiLimit) {
    const limitInfo = { 'Sforce-Limit-Info': `api-usage=${org.apiUsed}/${org.apiLimit}` };
    return sendRestError(req, res, 403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', limitInfo);
  }
  org.apiUsed++;
  const headers = { 'Sforce-Limit-Info': `api-usage=${org.apiUsed}/${org.apiLimit}` };
  const rest = m[2] ?? '';
  const v = { text: versionText, num: version };
  for (const route of routes(ctx, req, res)) {
    const match = route.pattern.exec(rest);
    if (!match) continue;
    if (!route.methods.includes(req.method ?? '')) return methodNotAllowed(req, res, route.methods, headers);
    return route.run(match, v, headers);
  }
  notFound(req, res, headers);
}

function routes(ctx: SimContext, req: IncomingMessage, res: ServerResponse): Route[] {
  const json = (body: unknown, headers: Record<string, string>) =>
    sendBody(req, res, 200, JSON_TYPE, typeof body === 'string' ? body : JSON.stringify(body), headers);
  const isElf = (name: string, v: number) => name.toLowerCase() === 'eventlogfile' && elfAccessible(ctx, v);
  return [
    {
      pattern: /^\/?$/,
      methods: ['GET', 'HEAD'],
      run: (_m, v, h) => {
        const base = `/services/data/v${v.text}`;
        json(
          {
            tooling: `${base}/tooling`,
            metadata: `${base}/metadata`,
            sobjects: `${base}/sobjects`,
            query: `${base}/query`,
            queryAll: `${base}/queryAll`,
            limits: `${base}/limits`,
            identity: `${ctx.url}/id/${ctx.identity.orgId}/${ctx.identity.userId}`,
          },
          h,
        );
      },
    },
    { pattern: /^\/limits\/?$/, methods: ['GET', 'HEAD'], run: (_m, _v, h) => json(limitsDocument(ctx.org), h) },
    {
      pattern: /^\/sobjects\/([^/]+)\/describe\/?$/,
      methods: ['GET', 'HEAD'],
      run: (m, v, h) =>
        isElf(m[1] ?? '', v.num)
          ? json(describeEventLogFile(v.text, ctx.world.eventTypes, { hourly: ctx.org.hourlyEnabled }), h)
          : notFound(req, res, h),
    },
    {
      pattern: /^\/sobjects\/([^/]+)\/([^/]+)\/([^/]+)\/?$/,
      methods: ['GET', 'HEAD'],
      run: (m, v, h) => {
        const id = normalizeId(m[2] ?? '');
        if (!isElf(m[1] ?? '', v.num) || (m[3] ?? '').toLowerCase() !== 'logfile' || !id) return notFound(req, res, h);
        if (ctx.faults.takeDeleteOnDownload(id)) ctx.world.delete(id);
        const file = ctx.world.find(id, ctx.clock.now(), ctx.org.hourlyEnabled);
        if (!file) return notFound(req, res, h);
        return sendBlob(ctx, req, res, file, h, ctx.faults.takeBlobFaults(id));
      },
    },
    {
      pattern: /^\/sobjects\/([^/]+)\/([^/]+)\/?$/,
      methods: ['GET', 'HEAD'],
      run: (m, v, h) => {
        const id = normalizeId(m[2] ?? '');
        const file =
          id && isElf(m[1] ?? '', v.num) ? ctx.world.find(id, ctx.clock.now(), ctx.org.hourlyEnabled) : undefined;
        if (!file) return notFound(req, res, h);
        const names = queryOf(req).get('fields');
        const org = { hourly: ctx.org.hourlyEnabled };
        const all = fieldsForVersion(v.num, org);
        const fields = names ? names.split(',').map((n) => findField(n.trim(), v.num, org)) : all;
        if (fields.some((f) => f === undefined)) return notFound(req, res, h);
        json(recordJson(file, fields as typeof all, recordContext(ctx, v.text)), h);
      },
    },
    { pattern: /^\/query\/?$/, methods: ['GET', 'HEAD'], run: (_m, v, h) => handleQuery(ctx, req, res, v, false, h) },
    { pattern: /^\/queryAll\/?$/, methods: ['GET', 'HEAD'], run: (_m, v, h) => handleQuery(ctx, req, res, v, true, h) },
    {
      pattern: /^\/(query|queryAll)\/([^/]+)\/?$/,
      methods: ['GET', 'HEAD'],
      run: (m, v, h) => handleQueryMore(ctx, req, res, v, m[1] === 'queryAll', m[2] ?? '', h),
    },
  ];
}

function invalidSession(req: IncomingMessage, res: ServerResponse): void {
  sendRestError(req, res, 401, 'INVALID_SESSION_ID', 'Session expired or invalid', {
    'WWW-Authenticate': 'Token',
  });
}

function methodNotAllowed(
  req: IncomingMessage,
  res: ServerResponse,
  allowed: string[],
  headers: Record<string, string>,
): void {
  sendRestError(
    req,
    res,
    405,
    'METHOD_NOT_ALLOWED',
    `HTTP Method '${req.method ?? ''}' not allowed. Allowed are ${allowed.join(',')}`,
    { ...headers, Allow: allowed.join(', ') },
  );
}
