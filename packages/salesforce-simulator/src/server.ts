/** Starts a simulator: one HTTP server speaking Salesforce's wire protocol plus the `/__sim/` control API. */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SimClock } from './clock';
import type { OrgIdentity, OrgState, SimContext } from './context';
import { BlobStore } from './blob-store';
import { createControl } from './control';
import { handleControl } from './control-api';
import { DEFAULT_EVENT_TYPES, makeUsers } from './data';
import { FaultBox } from './faults';
import { FileContentGenerator } from './file-content';
import { sendInjectedError } from './fault-responses';
import { pathOf, sendRestError } from './http-util';
import { handleIdentity } from './identity';
import { makeId, to15 } from './ids';
import { handleRevoke, handleToken } from './oauth';
import { QueryCursors } from './query-cursors';
import { RealtimeStore } from './realtime/store';
import { rngFor } from './random';
import { handleData } from './rest';
import { SessionStore } from './sessions';
import { handleSoap, SOAP_PATH } from './soap-login';
import { DAY, floorDay, MINUTE, parseInstant } from './time-format';
import type { Simulator, SimulatorCredentials, SimulatorOptions } from './types';
import { World } from './world';

const DEFAULT_CREDENTIALS = {
  username: 'elf-reader@acme-sim.example',
  password: 'sim-password',
  securityToken: 'SIMTOKEN123',
  clientId: 'sim-client-id',
  clientSecret: 'sim-client-secret',
};

/**
 * Starts a simulator on loopback. Resolves once it listens.
 * @throws when options are invalid or the port is taken.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const seed = options.seed ?? 42;
  const days = options.days ?? 7;
  const rowsPerFile = options.rowsPerFile ?? { min: 5, max: 40 };
  const apiVersionMaxText = options.apiVersionMax ?? '68.0';
  const retentionDays = options.retentionDays ?? 30;
  if (!Number.isInteger(retentionDays) || retentionDays < 1 || retentionDays > 365)
    throw new Error('retentionDays must be a whole number within 1..365');
  const apiVersionMax = Number(apiVersionMaxText);
  if (!/^\d{2}\.0$/.test(apiVersionMaxText) || apiVersionMax < 32) throw new Error('apiVersionMax must look like 62.0');
  if (!Number.isInteger(days) || days < 0) throw new Error('days must be a whole number');
  if (!(rowsPerFile.min >= 1 && rowsPerFile.max >= rowsPerFile.min))
    throw new Error('rowsPerFile needs 1 <= min <= max');
  const startMs =
    options.now === undefined
      ? Math.floor(Date.now() / MINUTE) * MINUTE
      : options.now instanceof Date
        ? options.now.getTime()
        : parseInstant(options.now);
  const clock = new SimClock(startMs, options.clock ?? 'manual');
  const credentials = resolveCredentials(options.credentials);
  const identity = makeIdentity(seed, credentials.username);
  const eventTypes = options.eventTypes ?? [...DEFAULT_EVENT_TYPES];
  const { users, unicodeUsers } = makeUsers(seed, identity.userId, identity.username);
  const content = new FileContentGenerator(
    seed,
    {
      orgId15: identity.orgId15,
      users,
      unicodeUsers,
      apiVersion: apiVersionMaxText,
      domain: 'acme-sim.my.salesforce.com',
    },
    rowsPerFile,
  );
  const org: OrgState = {
    hourlyEnabled: options.hourly ?? true,
    eventMonitoringEnabled: true,
    viewEventLogFiles: true,
    apiEnabled: true,
    apiLimit: 100_000,
    apiUsed: 0,
    soapLoginEnabled: true,
    useAnyApiAuthMissing: false,
    retentionDays,
    viewRealTimeEventMonitoringData: true,
    viewSetupAndConfiguration: true,
  };
  const world = new World(
    {
      seed,
      originMs: floorDay(startMs) - days * DAY,
      eventTypes,
      apiVersion: apiVersionMax,
      retentionMs: () => org.retentionDays * DAY,
    },
    content,
  );

  const host = options.host ?? '127.0.0.1';
  const servers: http.Server[] = [];
  const ctx: SimContext = {
    url: '',
    instanceUrl: '',
    identity,
    credentials,
    apiVersionMax,
    apiVersionMaxText,
    clock,
    world,
    org,
    realtime: new RealtimeStore(
      seed,
      startMs,
      { userId: identity.userId, username: identity.username },
      options.realtime,
    ),
    realtimeResults: new Map(),
    sessions: new SessionStore(identity.orgId15, clock, options.sessionIdleTimeoutMs),
    faults: new FaultBox(),
    cursors: new QueryCursors(),
    blobs: new BlobStore(),
    counters: { requests: 0, blobBytesServed: 0 },
    ...(options.log ? { log: options.log } : {}),
  };
  const control = createControl(ctx, rowsPerFile);
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    dispatch(ctx, control, req, res).catch((err: unknown) => {
      ctx.log?.(`error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendRestError(req, res, 500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred.');
      else res.destroy();
    });
  };

  const primary = http.createServer(handler);
  servers.push(primary);
  await listen(primary, options.port ?? 0, host);
  const port = (primary.address() as AddressInfo).port;
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  ctx.url = `http://${hostInUrl}:${port}`;
  ctx.instanceUrl = ctx.url;
  if (host === '127.0.0.1') {
    // The instance URL names the same server differently, so clients must use what login returns. `localhost`
    // may resolve to ::1 first: listen there too when IPv6 loopback exists.
    ctx.instanceUrl = `http://localhost:${port}`;
    const v6 = http.createServer(handler);
    try {
      await listen(v6, port, '::1');
      servers.push(v6);
    } catch {
      // No IPv6 loopback: clients fall back to 127.0.0.1.
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url: ctx.url,
    instanceUrl: ctx.instanceUrl,
    orgId: identity.orgId,
    userId: identity.userId,
    username: identity.username,
    credentials,
    control,
    close: () =>
      (closing ??= Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      ).then(() => ctx.blobs.close())),
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function dispatch(
  ctx: SimContext,
  control: ReturnType<typeof createControl>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const started = Date.now();
  const path = pathOf(req);
  // One line per request; the path never carries secrets (query strings, with SOQL, are left out).
  res.on('close', () =>
    ctx.log?.(
      `${req.method ?? '?'} ${path} ${res.statusCode}${res.writableFinished ? '' : ' (aborted)'} ${Date.now() - started}ms`,
    ),
  );
  if (path.startsWith('/__sim/')) return handleControl(ctx, control, req, res, path);
  const salesforce = path === '/services' || path.startsWith('/services/') || path.startsWith('/id/');
  if (!salesforce) {
    res.writeHead(404, { 'Content-Type': 'text/html;charset=UTF-8' }).end('<html><body>Not Found</body></html>');
    return;
  }
  ctx.counters.requests++;
  const injected = ctx.faults.takeHttpError(path);
  if (injected) return sendInjectedError(req, res, path, injected);
  const soap = SOAP_PATH.exec(path);
  if (soap) return handleSoap(ctx, req, res, soap[1] as 'u' | 'c', soap[2] ?? '');
  if (path === '/services/oauth2/token') return handleToken(ctx, req, res);
  if (path === '/services/oauth2/revoke') return handleRevoke(ctx, req, res);
  if (path === '/services/data' || path.startsWith('/services/data/')) return handleData(ctx, req, res, path);
  if (path.startsWith('/id/')) return handleIdentity(ctx, req, res, path);
  sendRestError(req, res, 404, 'NOT_FOUND', 'The requested resource does not exist');
}

function resolveCredentials(given: Partial<SimulatorCredentials> = {}): SimulatorCredentials {
  let privatePem = given.jwtPrivateKeyPem;
  let publicPem = given.jwtPublicKeyPem;
  if (!privatePem && !publicPem) {
    const pair = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    privatePem = pair.privateKey;
    publicPem = pair.publicKey;
  } else if (privatePem && !publicPem) {
    publicPem = createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
  }
  return {
    ...DEFAULT_CREDENTIALS,
    ...given,
    jwtPrivateKeyPem: privatePem ?? '',
    jwtPublicKeyPem: publicPem ?? '',
  };
}

function makeIdentity(seed: number, username: string): OrgIdentity {
  const orgId = makeId('00D', rngFor(seed, 'org'));
  return {
    orgId,
    orgId15: to15(orgId),
    orgName: 'Acme Simulated Inc.',
    userId: makeId('005', rngFor(seed, 'api-user')),
    username,
    userFullName: 'ELF Reader',
    userEmail: 'elf-reader@acme-sim.example',
    profileId: makeId('00e', rngFor(seed, 'profile')),
    systemUserId: makeId('005', rngFor(seed, 'automated-process')),
  };
}
