/**
 * The HTTP control API under `/__sim/` (JSON in and out), for tests and demos that run the simulator in another
 * process. It mirrors {@link SimulatorControl}; see {@link SimulatorControlClient} for the client side.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import type { SimContext } from './context';
import { queryOf, readBody } from './http-util';
import type { SimFault, SimInfo, SimulatorControl } from './types';

const fileSpec = z.strictObject({
  eventType: z.string(),
  logDate: z.string(),
  interval: z.enum(['Hourly', 'Daily']),
  sequence: z.number().int().min(0).optional(),
  rows: z.number().int().min(0).optional(),
  createdDate: z.string().optional(),
  csv: z.string().optional(),
  fieldNames: z.string().optional(),
  fieldTypes: z.string().optional(),
});

const fault = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('http-error'),
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]),
    count: z.number().int().min(0),
    pathContains: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('reset-blob'),
    afterBytes: z.number().int().min(0),
    count: z.number().int().min(0).optional(),
    fileId: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('slow-blob'),
    bytesPerSecond: z.number().positive(),
    count: z.number().int().min(0).optional(),
    fileId: z.string().optional(),
  }),
  z.strictObject({ kind: z.literal('expire-sessions'), afterRequests: z.number().int().min(0) }),
  z.strictObject({ kind: z.literal('delete-on-download'), fileId: z.string() }),
  z.strictObject({
    kind: z.literal('replace-blob'),
    body: z.base64(),
    contentType: z.string().optional(),
    count: z.number().int().min(0).optional(),
    fileId: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('truncate-blob'),
    afterBytes: z.number().int().min(0),
    count: z.number().int().min(0).optional(),
    fileId: z.string().optional(),
  }),
]);

const orgSettings = z.strictObject({
  hourlyEnabled: z.boolean().optional(),
  eventMonitoringEnabled: z.boolean().optional(),
  viewEventLogFiles: z.boolean().optional(),
  apiEnabled: z.boolean().optional(),
  apiLimit: z.number().int().min(0).optional(),
  apiUsed: z.number().int().min(0).optional(),
  soapLoginEnabled: z.boolean().optional(),
  useAnyApiAuthMissing: z.boolean().optional(),
  retentionDays: z.number().int().min(1).max(365).optional(),
});

const clockBody = z.union([z.strictObject({ now: z.string() }), z.strictObject({ advanceMs: z.number() })]);

/** A caller mistake: answered 400 (or the given status) with `{error}`. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function json<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  let raw: unknown;
  try {
    raw = JSON.parse((await readBody(req)) || 'null');
  } catch {
    throw new ControlError(400, 'body is not JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ControlError(400, z.prettifyError(parsed.error));
  return parsed.data;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) }).end(text);
}

/** Handles a request whose path starts with `/__sim/`. */
export async function handleControl(
  ctx: SimContext,
  control: SimulatorControl,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const route = `${req.method ?? ''} ${path.replace(/\/+$/, '')}`;
  const fileMatch = /^\/__sim\/files\/([^/]+)(\/csv|\/store)?$/.exec(path);
  // Control mistakes (unknown file, bad fault) are thrown as plain Errors by the control: they become 400/404.
  const guard = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new ControlError(message.startsWith('no such file') ? 404 : 400, message);
    }
  };
  try {
    switch (route) {
      case 'GET /__sim/info': {
        const info: SimInfo = {
          url: ctx.url,
          instanceUrl: ctx.instanceUrl,
          orgId: ctx.identity.orgId,
          userId: ctx.identity.userId,
          username: ctx.identity.username,
        };
        return send(res, 200, info);
      }
      case 'GET /__sim/clock':
        return send(res, 200, { now: control.now() });
      case 'POST /__sim/clock': {
        const body = await json(req, clockBody);
        guard(() => ('now' in body ? control.setNow(body.now) : control.advance(body.advanceMs)));
        return send(res, 200, { now: control.now() });
      }
      case 'GET /__sim/files':
        return send(
          res,
          200,
          control.listFiles({ includeFuture: /^(1|true)$/.test(queryOf(req).get('includeFuture') ?? '') }),
        );
      case 'POST /__sim/files': {
        const spec = await json(req, fileSpec);
        let summary;
        guard(() => (summary = control.addFile(spec)));
        return send(res, 201, summary);
      }
      case 'POST /__sim/faults': {
        const body = (await json(req, fault)) as SimFault;
        guard(() => control.inject(body));
        return send(res, 204);
      }
      case 'DELETE /__sim/faults':
        control.clearFaults();
        return send(res, 204);
      case 'POST /__sim/org': {
        const body = await json(req, orgSettings);
        guard(() => control.setOrg(body));
        return send(res, 204);
      }
      case 'GET /__sim/stats':
        return send(res, 200, control.stats());
    }
    if (fileMatch && req.method === 'DELETE' && !fileMatch[2]) {
      guard(() => control.deleteFile(decodeURIComponent(fileMatch[1] ?? '')));
      return send(res, 204);
    }
    if (fileMatch && req.method === 'POST' && fileMatch[2] === '/store') {
      let stored: Promise<void> | undefined;
      guard(() => (stored = control.storeFile(decodeURIComponent(fileMatch[1] ?? ''))));
      await stored;
      return send(res, 204);
    }
    if (fileMatch && req.method === 'GET' && fileMatch[2] === '/csv') {
      let stream: NodeJS.ReadableStream | undefined;
      guard(() => (stream = control.fileCsv(decodeURIComponent(fileMatch[1] ?? ''))));
      res.writeHead(200, { 'Content-Type': 'text/csv' });
      if (stream) await pipeline(stream, res);
      return;
    }
    throw new ControlError(404, `no control route ${route}`);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    send(res, err.status, { error: err.message });
  }
}
