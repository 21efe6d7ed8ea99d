/**
 * The Salesforce client against the simulator: every auth strategy, the permanent failures and their messages,
 * transient failures, session refresh, API limits. Plus one local server for the "session rejected even after a
 * fresh login" case the simulator cannot script.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthConfig, SourceConfig } from '../../src/config/types';
import { SalesforceClient } from '../../src/salesforce/client';
import { SalesforceError } from '../../src/salesforce/errors';
import type { SalesforceLogger } from '../../src/salesforce/session';
import { SessionPool } from '../../src/salesforce/session-pool';
import { startSimulator } from '@elfstream/salesforce-simulator';
import { sourceConfig } from '../helpers/source-config';
import type { Simulator } from '@elfstream/salesforce-simulator';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 42, days: 2, now: '2026-11-27T13:00:00Z' });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.control.clearFaults();
  sim.control.setOrg({
    hourlyEnabled: true,
    eventMonitoringEnabled: true,
    viewEventLogFiles: true,
    apiEnabled: true,
    apiUsed: 0,
    apiLimit: 1_000_000,
    soapLoginEnabled: true,
    useAnyApiAuthMissing: false,
  });
});

type AuthType = AuthConfig['type'];

function auth(type: AuthType, overrides: Record<string, string> = {}): AuthConfig {
  const c = sim.credentials;
  const all = {
    password: { type, username: c.username, password: c.password, securityToken: c.securityToken },
    'oauth-password': {
      type,
      username: c.username,
      password: c.password,
      securityToken: c.securityToken,
      clientId: c.clientId,
      clientSecret: c.clientSecret,
    },
    'client-credentials': { type, clientId: c.clientId, clientSecret: c.clientSecret },
    jwt: { type, username: c.username, clientId: c.clientId, privateKey: c.jwtPrivateKeyPem },
  } as const;
  return { ...all[type], ...overrides } as AuthConfig;
}

function source(a: AuthConfig, apiVersion = '62.0', loginUrl = sim.url, eventTypes = ['*']): SourceConfig {
  return sourceConfig({
    id: 'sim-source',
    label: 'Simulated org',
    salesforce: { loginUrl, apiVersion, auth: a },
    eventTypes,
  });
}

/** A logger that records lines, to count logins and to check that no secret is logged. */
function recordingLogger(): SalesforceLogger & { lines: string[]; logins(): number } {
  const lines: string[] = [];
  const rec =
    (level: string) =>
    (message: string, meta?: Record<string, unknown>): void => {
      lines.push(`${level} ${message} ${JSON.stringify(meta ?? {})}`);
    };
  return {
    lines,
    debug: rec('debug'),
    info: rec('info'),
    warn: rec('warn'),
    error: rec('error'),
    logins: () => lines.filter((l) => l.includes('Logged in to Salesforce')).length,
  };
}

function client(
  a: AuthConfig,
  opts: { apiVersion?: string; loginUrl?: string; logger?: SalesforceLogger; eventTypes?: string[] } = {},
) {
  const pool = new SessionPool({ retryDelayMs: 20 });
  return SalesforceClient.forSource(source(a, opts.apiVersion, opts.loginUrl, opts.eventTypes), {
    pool,
    logger: opts.logger,
  });
}

async function failure(p: Promise<unknown>): Promise<SalesforceError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(SalesforceError);
    return err as SalesforceError;
  }
  throw new Error('expected a failure');
}

function secretsOf(): string[] {
  const c = sim.credentials;
  return [c.password, c.password + c.securityToken, c.securityToken, c.clientSecret, c.jwtPrivateKeyPem];
}

function expectNoSecret(text: string): void {
  for (const s of secretsOf()) expect(text).not.toContain(s);
  expect(text).not.toMatch(/00D\w{12,15}!AQ/);
}

describe('auth strategies', () => {
  it.each<AuthType>(['password', 'oauth-password', 'client-credentials', 'jwt'])(
    '%s logs in and reports the org',
    async (type) => {
      const logger = recordingLogger();
      const c = client(auth(type), { logger });
      const org = await c.login();
      expect(org).toEqual({
        orgId: sim.orgId,
        userId: sim.userId,
        username: sim.username,
        instanceUrl: sim.instanceUrl,
        apiVersion: '62.0',
        apiUsage: expect.objectContaining({ limit: expect.any(Number), used: expect.any(Number) }),
        hourlyAvailable: true,
      });
      expect(c.apiUsage()).toEqual(org.apiUsage);
      expect(logger.logins()).toBe(1);
      expectNoSecret(JSON.stringify(org) + logger.lines.join('\n'));
      if (type === 'password') expect(logger.lines.join('\n')).toMatch(/SOAP login\(\).*Summer '27/);
    },
  );

  it('reports configured event types the org does not offer, and why', async () => {
    const logger = recordingLogger();
    const org = await client(auth('jwt'), { logger, eventTypes: ['Login', 'Logins', 'URI', 'CspViolation'] }).login();
    expect(org.unavailableEventTypes).toEqual([
      {
        eventType: 'Logins',
        reason:
          "not in the org's EventType list at API version 62.0: check the spelling, and that the org's Event " +
          'Monitoring licence includes it',
      },
      {
        eventType: 'CspViolation',
        reason:
          'EventLogFile offers it from API version 63.0, and the source uses 62.0: set salesforce.apiVersion to ' +
          '"auto" or a newer version',
      },
    ]);
    const warnings = logger.lines.filter((l) => l.startsWith('warn'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Configured event types the org does not offer at API version 62.0: Logins (');
    const current = await client(auth('jwt'), {
      apiVersion: 'auto',
      eventTypes: ['CspViolation', 'AgentActionTrace'],
    }).login();
    expect(current.apiVersion).toBe('68.0');
    expect(current.unavailableEventTypes).toBeUndefined();
  });

  it.each<[AuthType, string]>([
    ['client-credentials', '68.0'],
    ['oauth-password', '68.0'],
    ['jwt', '68.0'],
    ['password', '64.0'],
  ])(
    'apiVersion auto with %s auth uses %s (the newest the org serves, at most 64.0 for SOAP login)',
    async (type, v) => {
      const logger = recordingLogger();
      const c = client(auth(type), { apiVersion: 'auto', logger });
      expect((await c.login()).apiVersion).toBe(v);
      await c.login();
      const said = logger.lines.filter((l) => l.includes('uses at most API version 64.0'));
      expect(said).toHaveLength(type === 'password' ? 1 : 0);
      expect(
        logger.lines.filter((l) => l.includes(`Using Salesforce API version ${v} (apiVersion: auto)`)),
      ).toHaveLength(1);
    },
  );

  it('picks the newest version an older org serves', async () => {
    const older = await startSimulator({
      port: 0,
      seed: 3,
      days: 1,
      now: '2026-11-27T13:00:00Z',
      apiVersionMax: '66.0',
    });
    try {
      const c = older.credentials;
      const org = await SalesforceClient.forSource(
        source(
          { type: 'client-credentials', clientId: c.clientId, clientSecret: c.clientSecret },
          'auto',
          older.instanceUrl,
        ),
        { pool: new SessionPool() },
      ).login();
      expect(org.apiVersion).toBe('66.0');
    } finally {
      await older.close();
    }
  });

  it('JWT: a My Domain URL is no audience; login.salesforce.com is, from the My Domain-style login URL too', async () => {
    const refused = await failure(
      client(auth('jwt', { audience: sim.instanceUrl }), { loginUrl: sim.instanceUrl }).login(),
    );
    expect(refused).toMatchObject({ kind: 'config', errorCode: 'invalid_grant' });
    expect(refused.message).toMatch(/audience/);
    const org = await client(auth('jwt', { audience: 'https://login.salesforce.com' }), {
      loginUrl: sim.instanceUrl,
    }).login();
    expect(org.orgId).toBe(sim.orgId);
  });

  it('shares one session, and one login, between concurrent callers and clients', async () => {
    const logger = recordingLogger();
    const pool = new SessionPool();
    const clients = [1, 2, 3].map(() =>
      SalesforceClient.forSource(source(auth('client-credentials')), { pool, logger }),
    );
    await Promise.all([...clients, ...clients].map((c) => c.login()));
    expect(logger.logins()).toBe(1);
    expect(pool.size).toBe(1);
  });
});

describe('permanent failures fail fast with what to fix', () => {
  it('wrong password: INVALID_LOGIN', async () => {
    const started = Date.now();
    const err = await failure(client(auth('password', { password: 'wrong-password' })).login());
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'INVALID_LOGIN', sourceId: 'sim-source' });
    expect(err.message).toContain(`Salesforce rejected the login for ${sim.username} (INVALID_LOGIN)`);
    expect(err.message).toContain('security token');
    expect(err.message).not.toContain('wrong-password');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('missing security token: LOGIN_MUST_USE_SECURITY_TOKEN', async () => {
    const err = await failure(client(auth('password', { securityToken: '' })).login());
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'LOGIN_MUST_USE_SECURITY_TOKEN' });
    expect(err.message).toContain('set salesforce.auth.securityToken');
    expectNoSecret(err.message);
  });

  it('SOAP login on API 65.0 is refused before any request', async () => {
    const before = sim.control.stats().requests;
    const err = await failure(client(auth('password'), { apiVersion: '65.0' }).login());
    expect(err.kind).toBe('config');
    expect(err.message).toContain("SOAP login() is not available in API 65.0 and later (retired in Summer '27)");
    expect(sim.control.stats().requests).toBe(before);
  });

  it('SOAP login disabled in the org', async () => {
    sim.control.setOrg({ soapLoginEnabled: false });
    const err = await failure(client(auth('password')).login());
    expect(err).toMatchObject({ kind: 'config', errorCode: 'INVALID_OPERATION' });
    expect(err.message).toContain('client-credentials or jwt');
  });

  it("SOAP login refused for lack of Use Any API Auth names the permission (Summer '26)", async () => {
    sim.control.setOrg({ useAnyApiAuthMissing: true });
    const err = await failure(client(auth('password')).login());
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'INVALID_LOGIN' });
    expect(err.message).toContain("'Use Any API Auth'");
    expect(err.message).toContain('client-credentials or jwt');
  });

  it('JWT signed with the wrong key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const err = await failure(client(auth('jwt', { privateKey: other })).login());
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'invalid_grant' });
    expect(err.message).toContain('certificate');
    expect(err.message).not.toContain('PRIVATE KEY');
  });

  it('JWT with a private key that is not a key', async () => {
    const err = await failure(client(auth('jwt', { privateKey: 'not a pem' })).login());
    expect(err.kind).toBe('config');
    expect(err.message).toContain('salesforce.auth.privateKey');
  });

  it('client credentials with a wrong secret', async () => {
    const err = await failure(client(auth('client-credentials', { clientSecret: 'nope-nope' })).login());
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'invalid_client' });
    expect(err.message).toContain('clientSecret');
  });

  it('an unusable login URL or API version surfaces from the first call, not from forSource', async () => {
    const c = client(auth('jwt'), { loginUrl: 'not a url' });
    expect(c.apiUsage()).toBeUndefined();
    const err = await failure(c.login());
    expect(err).toMatchObject({ kind: 'config', sourceId: 'sim-source' });
    expect(err.message).toContain('salesforce.loginUrl');
    expect(() => c.assertApiBudget()).toThrow(expect.objectContaining({ kind: 'config' }));
    const old = await failure(
      client(auth('jwt'), { apiVersion: '36.0' }).listNewFiles({
        eventTypes: '*',
        interval: 'Daily',
        createdFrom: '2000-01-01T00:00:00Z',
        createdBefore: '2001-01-01T00:00:00Z',
        pageSize: 1,
      }),
    );
    expect(old.message).toContain('37.0');
  });

  it('client credentials on login.salesforce.com is refused before any request', async () => {
    const err = await failure(client(auth('client-credentials'), { loginUrl: 'https://login.salesforce.com' }).login());
    expect(err.kind).toBe('config');
    expect(err.message).toContain('My Domain');
  });

  it.each<AuthType>(['password', 'client-credentials'])('user without View Event Log Files (%s)', async (type) => {
    sim.control.setOrg({ viewEventLogFiles: false });
    const err = await failure(client(auth(type)).login());
    expect(err.kind).toBe('permission');
    expect(err.message).toContain(
      "grant the permission 'View Event Log Files' (and 'API Enabled') to the integration user",
    );
  });

  it('Event Monitoring not enabled', async () => {
    sim.control.setOrg({ eventMonitoringEnabled: false });
    const err = await failure(client(auth('jwt')).login());
    expect(err.kind).toBe('permission');
    expect(err.message).toContain('Event Monitoring may not be enabled');
  });

  it.each<AuthType>(['password', 'client-credentials'])('API disabled (%s)', async (type) => {
    sim.control.setOrg({ apiEnabled: false });
    const err = await failure(client(auth(type)).login());
    expect(err).toMatchObject({ kind: 'permission', errorCode: 'API_DISABLED_FOR_ORG' });
    expect(err.message).toContain("'API Enabled'");
  });

  it('a failed login is not retried against Salesforce during the cooldown', async () => {
    const pool = new SessionPool();
    const make = () => SalesforceClient.forSource(source(auth('password', { password: 'bad-password' })), { pool });
    await failure(make().login());
    const before = sim.control.stats().requests;
    const again = await failure(make().login());
    expect(again.errorCode).toBe('INVALID_LOGIN');
    expect(sim.control.stats().requests).toBe(before);
  });
});

describe('transient failures', () => {
  it('a short 503 burst is retried and the call succeeds', async () => {
    const c = client(auth('client-credentials'));
    await c.login();
    sim.control.inject({ kind: 'http-error', status: 503, count: 2, pathContains: '/query' });
    const page = await c.listNewFiles({
      eventTypes: '*',
      interval: 'Hourly',
      createdFrom: '2000-01-01T00:00:00Z',
      createdBefore: sim.control.now(),
      pageSize: 5,
    });
    expect(page.files).toHaveLength(5);
  });

  it('a long 5xx burst surfaces as transient', async () => {
    const c = client(auth('client-credentials'));
    await c.login();
    sim.control.inject({ kind: 'http-error', status: 502, count: 50, pathContains: '/query' });
    const err = await failure(
      c.listNewFiles({
        eventTypes: '*',
        interval: 'Hourly',
        createdFrom: '2000-01-01T00:00:00Z',
        createdBefore: sim.control.now(),
        pageSize: 5,
      }),
    );
    expect(err).toMatchObject({ kind: 'transient', status: 502, endpoint: '/services/data/v62.0/query' });
    expect(err.retryable).toBe(true);
  });

  it('a 5xx on the token endpoint is transient', async () => {
    sim.control.inject({ kind: 'http-error', status: 503, count: 1, pathContains: '/oauth2/token' });
    const err = await failure(client(auth('client-credentials')).login());
    expect(err.kind).toBe('transient');
  });

  it('an unreachable login URL says so', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await failure(client(auth('jwt'), { loginUrl: `http://127.0.0.1:${port}` }).login());
    expect(err).toMatchObject({ kind: 'transient', errorCode: 'ECONNREFUSED' });
    expect(err.message).toContain(`http://127.0.0.1:${port} is unreachable`);
  });
});

describe('session expiry', () => {
  it.each<AuthType>(['password', 'client-credentials', 'jwt', 'oauth-password'])(
    'an expired %s session is refreshed once and the call succeeds',
    async (type) => {
      const logger = recordingLogger();
      const c = client(auth(type), { logger });
      await c.login();
      sim.control.inject({ kind: 'expire-sessions', afterRequests: 0 });
      const page = await c.listNewFiles({
        eventTypes: '*',
        interval: 'Daily',
        createdFrom: '2000-01-01T00:00:00Z',
        createdBefore: sim.control.now(),
        pageSize: 3,
      });
      expect(page.files.length).toBeGreaterThan(0);
      expect(logger.logins()).toBe(2);
      expectNoSecret(logger.lines.join('\n'));
    },
  );

  it('concurrent calls share one refresh', async () => {
    const logger = recordingLogger();
    const c = client(auth('client-credentials'), { logger });
    await c.login();
    sim.control.inject({ kind: 'expire-sessions', afterRequests: 0 });
    await Promise.all(
      [1, 2, 3, 4].map(() =>
        c.listNewFiles({
          eventTypes: ['Login'],
          interval: 'Hourly',
          createdFrom: '2000-01-01T00:00:00Z',
          createdBefore: sim.control.now(),
          pageSize: 2,
        }),
      ),
    );
    expect(logger.logins()).toBe(2);
  });
});

describe('API limits', () => {
  it('REQUEST_LIMIT_EXCEEDED is rate-limited with a retry delay', async () => {
    const c = client(auth('client-credentials'));
    await c.login();
    sim.control.setOrg({ apiLimit: 100, apiUsed: 100 });
    const err = await failure(c.getFieldLayout(sim.control.listFiles()[0]?.id ?? ''));
    expect(err).toMatchObject({ kind: 'rate-limited', errorCode: 'REQUEST_LIMIT_EXCEEDED', status: 403 });
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(c.apiUsage()).toEqual({ used: 100, limit: 100 });
  });

  it('assertApiBudget keeps the reserve from Sforce-Limit-Info', async () => {
    const c = client(auth('jwt'));
    sim.control.setOrg({ apiLimit: 1000, apiUsed: 800 });
    await c.login();
    expect(() => c.assertApiBudget(0.1)).not.toThrow();
    sim.control.setOrg({ apiUsed: 950 });
    await c.getFieldLayout(sim.control.listFiles()[0]?.id ?? '');
    expect(c.apiUsage()).toEqual({ used: 951, limit: 1000 });
    expect(() => c.assertApiBudget()).toThrow(
      expect.objectContaining({ kind: 'rate-limited', retryAfterMs: 3_600_000 }),
    );
    expect(() => c.assertApiBudget(0.01)).not.toThrow();
  });
});

describe('a session rejected even after logging in again', () => {
  it('is refreshed once, then fails as auth (no loop)', async () => {
    let tokenRequests = 0;
    let queries = 0;
    const server = http.createServer((req, res) => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (req.url?.startsWith('/services/oauth2/token')) {
        tokenRequests += 1;
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: `00D000000000001!AQtoken${tokenRequests}`,
            instance_url: base,
            id: `${base}/id/00D000000000001EAA/005000000000001AAA`,
            token_type: 'Bearer',
          }),
        );
        return;
      }
      queries += 1;
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const c = client(
        { type: 'client-credentials', clientId: 'x', clientSecret: 'secret-value' },
        { loginUrl: `http://127.0.0.1:${port}` },
      );
      const err = await failure(c.login());
      expect(err).toMatchObject({ kind: 'auth', errorCode: 'INVALID_SESSION_ID' });
      expect(err.message).toContain('even after logging in again');
      expect(tokenRequests).toBe(2);
      expect(queries).toBe(2);
      const download = await failure(c.openLogFile({ id: '0AT000000000001AAA' }));
      expect(download).toMatchObject({ kind: 'auth', errorCode: 'INVALID_SESSION_ID' });
      expect(tokenRequests).toBe(3);
      expectNoSecret(download.message);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
