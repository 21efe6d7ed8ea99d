import { createHmac, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from 'jsforce';
import { startSimulator } from '../src';
import type { Simulator } from '../src';
import { json, rawRequest, signJwt } from './helpers';

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('OAuth 2.0 token endpoint', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ now: '2026-11-27T13:00:00Z' });
  });
  afterAll(() => sim.close());

  const oauthConn = (clientId = sim.credentials.clientId, clientSecret = sim.credentials.clientSecret) =>
    new Connection({ version: '62.0', oauth2: { loginUrl: sim.url, clientId, clientSecret } });
  const token = (form: Record<string, string>) =>
    rawRequest(`${sim.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  const claims = (over: Record<string, unknown> = {}) => ({
    iss: sim.credentials.clientId,
    sub: sim.credentials.username,
    aud: sim.url,
    exp: Math.floor(Date.now() / 1000) + 180,
    ...over,
  });
  const expectWorks = async (conn: Connection) => {
    const res = await conn.query<{ Id: string }>('SELECT Id FROM EventLogFile LIMIT 2');
    expect(res.records).toHaveLength(2);
  };

  it('password grant: jsforce logs in through OAuth when a client id and secret are configured', async () => {
    const conn = oauthConn();
    const userInfo = await conn.login(sim.username, sim.credentials.password + sim.credentials.securityToken);
    expect(userInfo).toEqual({
      id: sim.userId,
      organizationId: sim.orgId,
      url: `${sim.url}/id/${sim.orgId}/${sim.userId}`,
    });
    expect(conn.instanceUrl).toBe(sim.instanceUrl);
    await expectWorks(conn);
    const identity = await conn.identity();
    expect(identity).toMatchObject({ user_id: sim.userId, organization_id: sim.orgId, username: sim.username });
  });

  it('answers Salesforce token JSON: no expires_in, no refresh_token, a verifiable signature', async () => {
    const r = await token({
      grant_type: 'password',
      client_id: sim.credentials.clientId,
      client_secret: sim.credentials.clientSecret,
      username: sim.username,
      password: sim.credentials.password + sim.credentials.securityToken,
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    const body = json<Record<string, string>>(r);
    expect(Object.keys(body)).toEqual(['access_token', 'instance_url', 'id', 'token_type', 'issued_at', 'signature']);
    expect(body).toMatchObject({
      instance_url: sim.instanceUrl,
      id: `${sim.url}/id/${sim.orgId}/${sim.userId}`,
      token_type: 'Bearer',
      issued_at: String(Date.parse('2026-11-27T13:00:00Z')),
    });
    expect(body.signature).toBe(
      createHmac('sha256', sim.credentials.clientSecret).update(`${body.id}${body.issued_at}`).digest('base64'),
    );
  });

  it('client credentials grant: jsforce authorize() works and gets no refresh token', async () => {
    const conn = oauthConn();
    const userInfo = await conn.authorize({ grant_type: 'client_credentials' });
    expect(userInfo.organizationId).toBe(sim.orgId);
    expect(conn.refreshToken).toBeUndefined();
    await expectWorks(conn);
  });

  it('JWT bearer grant: an RS256 assertion signed with the simulator key logs in', async () => {
    const conn = new Connection({ version: '62.0', oauth2: { loginUrl: sim.url, clientId: sim.credentials.clientId } });
    const userInfo = await conn.authorize({
      grant_type: JWT_GRANT,
      assertion: signJwt(claims(), sim.credentials.jwtPrivateKeyPem),
    });
    expect(userInfo.id).toBe(sim.userId);
    expect(conn.refreshToken).toBeUndefined();
    await expectWorks(conn);
    for (const aud of ['https://login.salesforce.com', 'https://test.salesforce.com/', `${sim.url}/`]) {
      const r = await token({
        grant_type: JWT_GRANT,
        assertion: signJwt(claims({ aud }), sim.credentials.jwtPrivateKeyPem),
      });
      expect(r.status).toBe(200);
      expect(Object.keys(json<object>(r))).toEqual([
        'access_token',
        'scope',
        'instance_url',
        'id',
        'token_type',
        'issued_at',
        'signature',
      ]);
    }
  });

  it('refuses an assertion signed by another key', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = signJwt(claims(), other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const r = await token({ grant_type: JWT_GRANT, assertion: forged });
    expect(r.status).toBe(400);
    expect(json(r)).toEqual({ error: 'invalid_grant', error_description: 'invalid assertion' });
  });

  it('trusts an X.509 certificate PEM as the connected app key', async () => {
    // A throw-away self-signed test certificate and its key (fixtures, not secrets).
    const dir = path.join(__dirname, 'fixtures');
    const certSim = await startSimulator({
      credentials: {
        jwtPrivateKeyPem: fs.readFileSync(path.join(dir, 'jwt-test-key.pem'), 'utf8'),
        jwtPublicKeyPem: fs.readFileSync(path.join(dir, 'jwt-test-cert.pem'), 'utf8'),
      },
    });
    try {
      const conn = new Connection({
        version: '62.0',
        oauth2: { loginUrl: certSim.url, clientId: certSim.credentials.clientId },
      });
      const assertion = signJwt(claims({ aud: certSim.url }), certSim.credentials.jwtPrivateKeyPem);
      await conn.authorize({ grant_type: JWT_GRANT, assertion });
      expect(conn.instanceUrl).toBe(certSim.instanceUrl);
      const forged = signJwt(claims({ aud: certSim.url }), sim.credentials.jwtPrivateKeyPem);
      await expect(
        new Connection({ version: '62.0', oauth2: { loginUrl: certSim.url } }).authorize({
          grant_type: JWT_GRANT,
          assertion: forged,
        }),
      ).rejects.toMatchObject({ name: 'invalid_grant', message: 'invalid assertion' });
    } finally {
      await certSim.close();
    }
  });

  const pw = (over: Record<string, string>) => ({
    grant_type: 'password',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    username: sim.username,
    password: sim.credentials.password + sim.credentials.securityToken,
    ...over,
  });
  const cc = (over: Record<string, string>) => ({
    grant_type: 'client_credentials',
    client_id: sim.credentials.clientId,
    client_secret: sim.credentials.clientSecret,
    ...over,
  });
  const jwt = (over: Record<string, unknown>, alg?: string) => ({
    grant_type: JWT_GRANT,
    assertion: signJwt(claims(over), sim.credentials.jwtPrivateKeyPem, alg),
  });
  const nowS = () => Math.floor(Date.now() / 1000);
  const errorCases: [string, string, string, () => Record<string, string>][] = [
    ['password: unknown client id', 'invalid_client_id', 'client identifier invalid', () => pw({ client_id: 'nope' })],
    [
      'password: wrong client secret',
      'invalid_client',
      'invalid client credentials',
      () => pw({ client_secret: 'no' }),
    ],
    ['password: wrong password', 'invalid_grant', 'authentication failure', () => pw({ password: 'wrong' })],
    [
      'password: no security token',
      'invalid_grant',
      'authentication failure',
      () => pw({ password: sim.credentials.password }),
    ],
    ['password: unknown user', 'invalid_grant', 'authentication failure', () => pw({ username: 'who@acme.example' })],
    [
      'client credentials: unknown client id',
      'invalid_client_id',
      'client identifier invalid',
      () => cc({ client_id: 'x' }),
    ],
    [
      'client credentials: wrong secret',
      'invalid_client',
      'invalid client credentials',
      () => cc({ client_secret: 'x' }),
    ],
    ['JWT: wrong issuer', 'invalid_client_id', 'client identifier invalid', () => jwt({ iss: 'other-app' })],
    ['JWT: wrong audience', 'invalid_grant', 'audience is invalid', () => jwt({ aud: 'https://evil.example' })],
    ['JWT: unknown user', 'invalid_grant', 'invalid assertion', () => jwt({ sub: 'nobody@acme.example' })],
    ['JWT: expired', 'invalid_grant', 'invalid assertion', () => jwt({ exp: nowS() - 10 })],
    ['JWT: expires too far ahead', 'invalid_grant', 'invalid assertion', () => jwt({ exp: nowS() + 3600 })],
    ['JWT: not RS256', 'invalid_grant', 'invalid assertion', () => jwt({}, 'HS256')],
    ['JWT: garbage', 'invalid_grant', 'invalid assertion', () => ({ grant_type: JWT_GRANT, assertion: 'not.a.jwt' })],
    ['unsupported grant type', 'unsupported_grant_type', 'grant type not supported', () => ({ grant_type: 'code' })],
    ['no grant type', 'unsupported_grant_type', 'grant type not supported', () => ({})],
  ];
  it.each(errorCases)('%s → HTTP 400 %s', async (_name, error, description, form) => {
    const r = await token(form());
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(json(r)).toEqual({ error, error_description: description });
  });

  it('surfaces OAuth errors through jsforce with the error as the name', async () => {
    await expect(oauthConn().login(sim.username, 'wrong')).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'authentication failure',
    });
    await expect(oauthConn('bad-client').authorize({ grant_type: 'client_credentials' })).rejects.toMatchObject({
      name: 'invalid_client_id',
      message: 'client identifier invalid',
    });
  });

  it('revokes tokens', async () => {
    const conn = oauthConn();
    await conn.authorize({ grant_type: 'client_credentials' });
    const accessToken = conn.accessToken ?? '';
    await conn.logout();
    const r = await rawRequest(`${sim.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    expect(r.status).toBe(401);
    expect(json(r)).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });
});
