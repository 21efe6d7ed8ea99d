import { Connection } from 'jsforce';
import { startSimulator } from '../src';
import type { Simulator } from '../src';
import { bodyText, json, rawRequest } from './helpers';

const BATCH_200 = { 'Sforce-Query-Options': 'batchSize=200' };
const ELF_QUERY =
  'SELECT Id, EventType, LogDate, CreatedDate, LogFileLength, Interval, Sequence, LogFile FROM EventLogFile';

interface ElfRecord {
  attributes: { type: string; url: string };
  Id: string;
  EventType: string;
  CreatedDate: string;
  Sequence: number;
}

describe('REST API', () => {
  let sim: Simulator;
  let conn: Connection;
  const logs: string[] = [];
  const auth = () => ({ Authorization: `Bearer ${conn.accessToken ?? ''}` });
  const get = (path: string, headers: Record<string, string> = {}) =>
    rawRequest(`${sim.instanceUrl}${path}`, { headers: { ...auth(), ...headers } });

  beforeAll(async () => {
    sim = await startSimulator({ now: '2026-11-27T13:00:00Z', log: (l) => logs.push(l) });
    conn = new Connection({ loginUrl: sim.url, version: '62.0' });
    await conn.login(sim.username, sim.credentials.password + sim.credentials.securityToken);
  });
  afterAll(() => sim.close());
  afterEach(() => {
    sim.control.clearFaults();
    sim.control.setOrg({ apiEnabled: true, eventMonitoringEnabled: true, viewEventLogFiles: true, apiLimit: 100_000 });
  });

  it('lists versions without a session, with release labels', async () => {
    const r = await rawRequest(`${sim.instanceUrl}/services/data`);
    expect(r.status).toBe(200);
    const versions = json<{ label: string; url: string; version: string }[]>(r);
    expect(versions[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(versions).toContainEqual({ label: "Winter '25", url: '/services/data/v62.0', version: '62.0' });
    expect(versions).toContainEqual({ label: "Summer '26", url: '/services/data/v67.0', version: '67.0' });
    expect(versions.at(-1)).toEqual({ label: "Winter '27", url: '/services/data/v68.0', version: '68.0' });
  });

  it('answers a retired version with 410 GONE and an unknown one with 404', async () => {
    const retired = await rawRequest(`${sim.instanceUrl}/services/data/v30.0/limits`);
    expect(retired.status).toBe(410);
    expect(json<{ errorCode: string }[]>(retired)[0]?.errorCode).toBe('GONE');
    expect((await rawRequest(`${sim.instanceUrl}/services/data/v69.0/limits`)).status).toBe(404);
  });

  it('pages a query with autoFetch across several pages of 200 (jsforce)', async () => {
    const truth = sim.control.listFiles();
    expect(truth.length).toBeGreaterThan(600);
    const before = logs.length;
    const res = await conn.query<ElfRecord>(`${ELF_QUERY} ORDER BY CreatedDate, Id`, {
      autoFetch: true,
      maxFetch: 100_000,
      headers: BATCH_200,
    });
    expect(res.done).toBe(true);
    expect(res.totalSize).toBe(truth.length);
    expect(res.records.map((r) => r.Id)).toEqual(truth.map((f) => f.id));
    const pages = logs.slice(before).filter((l) => /^GET \/services\/data\/v62\.0\/query(\/01g|\s)/.test(l));
    expect(pages).toHaveLength(Math.ceil(truth.length / 200));
  });

  it('returns records exactly as Salesforce does', async () => {
    const r = await get(
      `/services/data/v62.0/query?q=${encodeURIComponent(`${ELF_QUERY} ORDER BY CreatedDate DESC LIMIT 1`)}`,
    );
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json;charset=UTF-8');
    const f = sim.control.listFiles().at(-1);
    if (!f) throw new Error('no files');
    const sf = (iso: string) => iso.replace('Z', '+0000');
    expect(bodyText(r)).toBe(
      `{"totalSize":1,"done":true,"records":[{"attributes":{"type":"EventLogFile","url":"/services/data/v62.0/sobjects/EventLogFile/${f.id}"},` +
        `"Id":"${f.id}","EventType":"${f.eventType}","LogDate":"${sf(f.logDate)}","CreatedDate":"${sf(f.createdDate)}",` +
        `"LogFileLength":${f.logFileLength}.0,"Interval":"${f.interval}","Sequence":${f.sequence},` +
        `"LogFile":"/services/data/v62.0/sobjects/EventLogFile/${f.id}/LogFile"}]}`,
    );
  });

  it('pages manually with queryMore on nextRecordsUrl', async () => {
    const first = await conn.query<ElfRecord>(`${ELF_QUERY} ORDER BY CreatedDate, Id`, { headers: BATCH_200 });
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(200);
    // jsforce hands back an absolute URL built from the locator; the wire value is relative (checked below).
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-200$/);
    const second = await conn.queryMore<ElfRecord>(first.nextRecordsUrl ?? '', {
      headers: BATCH_200,
      autoFetch: false,
      maxFetch: 10_000,
      scanAll: false,
      responseTarget: 'QueryResult',
    });
    expect(second.records).toHaveLength(200);
    expect(second.nextRecordsUrl).toMatch(/-400$/);
    const truth = sim.control.listFiles();
    expect([...first.records, ...second.records].map((r) => r.Id)).toEqual(truth.slice(0, 400).map((f) => f.id));
    // The raw page shape: totalSize, done, a relative nextRecordsUrl, records.
    const q = encodeURIComponent(`${ELF_QUERY} ORDER BY CreatedDate, Id`);
    const raw = json<Record<string, unknown>>(await get(`/services/data/v62.0/query?q=${q}`, BATCH_200));
    expect(Object.keys(raw)).toEqual(['totalSize', 'done', 'nextRecordsUrl', 'records']);
    expect(raw).toMatchObject({ totalSize: truth.length, done: false });
    expect(raw.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/01g[0-9A-Za-z]{15}-200$/);
    const last = json<Record<string, unknown>>(
      await get(String(raw.nextRecordsUrl).replace(/-200$/, `-${truth.length - 5}`)),
    );
    expect(Object.keys(last)).toEqual(['totalSize', 'done', 'records']);
    expect(last).toMatchObject({ done: true, records: expect.any(Array) });
    expect((last.records as unknown[]).length).toBe(5);
  });

  it('queryAll pages through /queryAll and returns the same files', async () => {
    const res = await conn.query<ElfRecord>(`SELECT Id FROM EventLogFile WHERE Sequence != 0`, {
      scanAll: true,
      autoFetch: true,
      maxFetch: 100_000,
      headers: BATCH_200,
    });
    const hourly = sim.control.listFiles().filter((f) => f.interval === 'Hourly');
    expect(res.records.map((r) => r.Id)).toEqual(hourly.map((f) => f.id));
    expect(logs.some((l) => /^GET \/services\/data\/v62\.0\/queryAll 200 /.test(l))).toBe(true);
    // A queryAll locator reads through /queryAll/ as well as /query/ (jsforce uses the latter).
    const raw = json<{ nextRecordsUrl: string }>(
      await get(`/services/data/v62.0/queryAll?q=${encodeURIComponent('SELECT Id FROM EventLogFile')}`, BATCH_200),
    );
    expect(raw.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/queryAll\/01g[0-9A-Za-z]{15}-200$/);
    expect((await get(raw.nextRecordsUrl)).status).toBe(200);
  });

  it('clamps batch sizes to 200..2000 and defaults to 2000', async () => {
    const q = `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM EventLogFile')}`;
    expect(json<{ records: unknown[] }>(await get(q, { 'Sforce-Query-Options': 'batchSize=5' })).records).toHaveLength(
      200,
    );
    expect(json<{ records: unknown[] }>(await get(q)).records.length).toBe(sim.control.listFiles().length);
  });

  it('answers COUNT() with totalSize only', async () => {
    const res = await conn.query("SELECT COUNT() FROM EventLogFile WHERE Interval = 'Daily'");
    expect(res.totalSize).toBe(sim.control.listFiles().filter((f) => f.interval === 'Daily').length);
    expect(res.records).toEqual([]);
  });

  it('rejects bad SOQL with Salesforce error codes (jsforce errors)', async () => {
    await expect(conn.query('SELECT Foo FROM EventLogFile')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: expect.stringContaining(
        "\nSELECT Foo FROM EventLogFile\n       ^\nERROR at Row:1:Column:8\nNo such column 'Foo'",
      ),
    });
    await expect(conn.query('SELECT Id FROM EventLogFile WHERE')).rejects.toMatchObject({
      errorCode: 'MALFORMED_QUERY',
    });
    await expect(conn.query('SELECT Id FROM EventLogFile WHERE CreatedDate > 2026-11-01')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    const r = await get('/services/data/v62.0/query?q=SELECT+Id+FROM+Account');
    expect(r.status).toBe(400);
    expect(json(r)).toEqual([
      {
        message:
          "\nSELECT Id FROM Account\n               ^\nERROR at Row:1:Column:16\nsObject type 'Account' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
        errorCode: 'INVALID_TYPE',
      },
    ]);
  });

  it('knows Interval and Sequence only from API 37.0', async () => {
    const old = new Connection({ instanceUrl: sim.instanceUrl, accessToken: conn.accessToken ?? '', version: '36.0' });
    await expect(old.query('SELECT Id, Interval FROM EventLogFile')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
    });
    const d = await old.describe('EventLogFile');
    expect(d.fields.map((f) => f.name)).not.toContain('Sequence');
  });

  it('offers each EventType from the version that introduced it, and a type newer than any client list at 68.0', async () => {
    const typesAt = async (version: string) => {
      const c = new Connection({ instanceUrl: sim.instanceUrl, accessToken: conn.accessToken ?? '', version });
      const d = await c.describe('EventLogFile');
      return d.fields.find((f) => f.name === 'EventType')?.picklistValues?.map((p) => p.value) ?? [];
    };
    const at62 = await typesAt('62.0');
    const at63 = await typesAt('63.0');
    const at68 = await typesAt('68.0');
    expect(at62).not.toContain('CspViolation');
    expect(at63).toEqual(expect.arrayContaining(['CspViolation', 'BlockedRedirect', 'DatabaseSave']));
    expect(at63).not.toContain('UniqueQuery');
    expect(at68).toEqual(
      expect.arrayContaining(['CompositeApi', 'InvocableAction', 'UniqueQuery', 'ApexInline', 'AgentActionTrace']),
    );
    expect(at68).not.toContain('CSPViolation');
    expect(await typesAt('67.0')).not.toContain('AgentActionTrace');
  });

  it('has no Interval field in an org without hourly files', async () => {
    sim.control.setOrg({ hourlyEnabled: false });
    try {
      const d = await conn.describe('EventLogFile');
      expect(d.fields.map((f) => f.name)).not.toContain('Interval');
      expect(d.fields.map((f) => f.name)).toContain('Sequence');
      await expect(conn.query("SELECT Id FROM EventLogFile WHERE Interval = 'Daily'")).rejects.toMatchObject({
        errorCode: 'INVALID_FIELD',
      });
      const daily = await conn.query<{ Sequence: number }>('SELECT Id, Sequence FROM EventLogFile LIMIT 5');
      expect(daily.records.length).toBeGreaterThan(0);
      expect(daily.records.every((r) => r.Sequence === 0)).toBe(true);
    } finally {
      sim.control.setOrg({ hourlyEnabled: true });
    }
  });

  it('describes EventLogFile', async () => {
    const d = await conn.describe('EventLogFile');
    expect(d).toMatchObject({
      name: 'EventLogFile',
      keyPrefix: '0AT',
      queryable: true,
      createable: false,
      label: 'Event Log File',
    });
    const byName = Object.fromEntries(d.fields.map((f) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'ApiVersion',
        'CreatedById',
        'CreatedDate',
        'EventType',
        'Id',
        'Interval',
        'IsDeleted',
        'LastModifiedById',
        'LastModifiedDate',
        'LogDate',
        'LogFile',
        'LogFileContentType',
        'LogFileFieldNames',
        'LogFileFieldTypes',
        'LogFileLength',
        'Sequence',
        'SystemModstamp',
      ].sort(),
    );
    expect(byName.LogFile).toMatchObject({
      type: 'base64',
      filterable: false,
      sortable: false,
      soapType: 'xsd:base64Binary',
    });
    expect(byName.LogFileLength).toMatchObject({ type: 'double', filterable: true, sortable: true });
    expect(byName.Sequence).toMatchObject({ type: 'int', soapType: 'xsd:int' });
    expect(byName.CreatedDate).toMatchObject({ type: 'datetime', label: 'Created Date' });
    expect(byName.Interval?.picklistValues?.map((p) => p.value)).toEqual(['Daily', 'Hourly']);
    const eventTypes = byName.EventType?.picklistValues?.map((p) => p.value) ?? [];
    expect(eventTypes).toEqual(expect.arrayContaining(['Login', 'LoginAs', 'Logout', 'URI', 'API', 'ReportExport']));
    expect(byName.EventType?.picklistValues?.find((p) => p.value === 'LoginAs')).toEqual({
      active: true,
      defaultValue: false,
      label: 'Login As',
      validFor: null,
      value: 'LoginAs',
    });
    await expect(conn.describe('Account')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
      message: 'The requested resource does not exist',
    });
  });

  it('reports limits and Sforce-Limit-Info; every REST request counts one API call', async () => {
    const before = sim.control.stats().apiUsed;
    const limits = (await conn.limits()) as unknown as Record<string, { Max: number; Remaining: number }>;
    expect(limits.DailyApiRequests).toEqual({ Max: 100_000, Remaining: 100_000 - before - 1 });
    expect(conn.limitInfo).toEqual({ apiUsage: { used: before + 1, limit: 100_000 } });
    const r = await get('/services/data/v62.0/limits');
    expect(r.headers['sforce-limit-info']).toBe(`api-usage=${before + 2}/100000`);
    expect(sim.control.stats().apiUsed).toBe(before + 2);
  });

  it('exhausting the API allowance gives 403 REQUEST_LIMIT_EXCEEDED', async () => {
    sim.control.setOrg({ apiLimit: 1000, apiUsed: 999 });
    await conn.query('SELECT Id FROM EventLogFile LIMIT 1');
    await expect(conn.query('SELECT Id FROM EventLogFile LIMIT 1')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    const r = await get('/services/data/v62.0/limits');
    expect(r.status).toBe(403);
    expect(r.headers['sforce-limit-info']).toBe('api-usage=1000/1000');
    expect(json(r)).toEqual([{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
  });

  it('answers 401 INVALID_SESSION_ID without a valid session', async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: 'Bearer 00Dnope!AQbad' }];
    for (const headers of attempts) {
      const r = await rawRequest(`${sim.instanceUrl}/services/data/v62.0/limits`, { headers });
      expect(r.status).toBe(401);
      expect(json(r)).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
  });

  it('expire-sessions: the session dies after N requests; jsforce without a refresher sees INVALID_SESSION_ID', async () => {
    const bare = new Connection({ instanceUrl: sim.instanceUrl, accessToken: conn.accessToken ?? '', version: '62.0' });
    sim.control.inject({ kind: 'expire-sessions', afterRequests: 2 });
    await bare.limits();
    await bare.limits();
    await expect(bare.limits()).rejects.toMatchObject({
      errorCode: 'INVALID_SESSION_ID',
      message: 'Session expired or invalid',
    });
    // A connection that logged in with a password logs in again by itself, and the new session works.
    const oldToken = conn.accessToken;
    const res = await conn.query('SELECT Id FROM EventLogFile LIMIT 1');
    expect(res.records).toHaveLength(1);
    expect(conn.accessToken).not.toBe(oldToken);
  });

  it('optionally times sessions out after idling, in simulated time', async () => {
    const s = await startSimulator({ now: '2026-11-27T13:00:00Z', days: 0, sessionIdleTimeoutMs: 2 * 3_600_000 });
    try {
      const c = new Connection({
        loginUrl: s.url,
        version: '62.0',
        oauth2: { loginUrl: s.url, clientId: s.credentials.clientId, clientSecret: s.credentials.clientSecret },
      });
      await c.authorize({ grant_type: 'client_credentials' });
      s.control.advance(90 * 60_000);
      await c.limits();
      s.control.advance(90 * 60_000);
      await c.limits(); // used 90 minutes ago: still alive
      s.control.advance(2 * 3_600_000 + 1000);
      // No refresh token with client credentials: jsforce's default refresher gives up.
      await expect(c.limits()).rejects.toThrow();
      const bare = new Connection({ instanceUrl: s.instanceUrl, accessToken: c.accessToken ?? '', version: '62.0' });
      await expect(bare.limits()).rejects.toMatchObject({ errorCode: 'INVALID_SESSION_ID' });
    } finally {
      await s.close();
    }
  });

  it('answers 403 API_DISABLED_FOR_ORG when the API is off', async () => {
    sim.control.setOrg({ apiEnabled: false });
    await expect(conn.limits()).rejects.toMatchObject({
      errorCode: 'API_DISABLED_FOR_ORG',
      message: 'The REST API is not enabled for this Organization.',
    });
  });

  it('hides EventLogFile without Event Monitoring or without View Event Log Files', async () => {
    for (const settings of [{ eventMonitoringEnabled: false }, { viewEventLogFiles: false }]) {
      sim.control.setOrg({ eventMonitoringEnabled: true, viewEventLogFiles: true, ...settings });
      await expect(conn.query('SELECT Id FROM EventLogFile')).rejects.toMatchObject({
        errorCode: 'INVALID_TYPE',
        message: expect.stringContaining("sObject type 'EventLogFile' is not supported."),
      });
      await expect(conn.describe('EventLogFile')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    }
  });

  it('answers 404 NOT_FOUND and 405 METHOD_NOT_ALLOWED in Salesforce shape', async () => {
    const nf = await get('/services/data/v62.0/nothing-here');
    expect(nf.status).toBe(404);
    expect(bodyText(nf)).toBe('[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]');
    expect((await get('/services/data/v99.0/limits')).status).toBe(404);
    const bad = await rawRequest(`${sim.instanceUrl}/services/data/v62.0/query?q=x`, {
      method: 'POST',
      headers: auth(),
    });
    expect(bad.status).toBe(405);
    expect(bad.headers.allow).toBe('GET, HEAD');
    expect(bodyText(bad)).toBe(
      `[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'POST' not allowed. Allowed are GET,HEAD"}]`,
    );
    const loc = await get('/services/data/v62.0/query/01g5j0000000000AAA-200');
    expect(loc.status).toBe(400);
    expect(json(loc)).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });

  it('compresses JSON when asked', async () => {
    const r = await get('/services/data/v62.0/limits', { 'Accept-Encoding': 'gzip' });
    expect(r.headers['content-encoding']).toBe('gzip');
    expect(json<Record<string, unknown>>(r)).toHaveProperty('DailyApiRequests');
  });

  it('http-error: jsforce retries GETs on 503 and succeeds; the client sees the 5xx bodies', async () => {
    sim.control.inject({ kind: 'http-error', status: 503, count: 2, pathContains: '/query' });
    const before = sim.control.stats().requests;
    const res = await conn.query('SELECT Id FROM EventLogFile LIMIT 1');
    expect(res.records).toHaveLength(1);
    expect(sim.control.stats().requests - before).toBe(3);

    sim.control.inject({ kind: 'http-error', status: 500, count: 1 });
    const r500 = await get('/services/data/v62.0/limits');
    expect(r500.status).toBe(500);
    expect(json(r500)).toEqual([
      {
        message: expect.stringMatching(
          /^An unexpected error occurred\. Please include this ErrorId if you contact support: /,
        ),
        errorCode: 'UNKNOWN_EXCEPTION',
      },
    ]);
    sim.control.inject({ kind: 'http-error', status: 502, count: 1, pathContains: '/limits' });
    const r502 = await get('/services/data/v62.0/limits');
    expect(r502.status).toBe(502);
    expect(r502.headers['content-type']).toBe('text/html');
    sim.control.inject({ kind: 'http-error', status: 500, count: 1, pathContains: '/oauth2/token' });
    await expect(
      new Connection({
        version: '62.0',
        oauth2: { loginUrl: sim.url, clientId: sim.credentials.clientId, clientSecret: sim.credentials.clientSecret },
      }).authorize({
        grant_type: 'client_credentials',
      }),
    ).rejects.toMatchObject({ name: 'unknown_error', message: 'retry your request' });
    // Used up: the next request is fine.
    expect((await get('/services/data/v62.0/limits')).status).toBe(200);
  });

  it('retrieves a record by id', async () => {
    const f = sim.control.listFiles()[0];
    if (!f) throw new Error('no files');
    const rec = (await conn.sobject('EventLogFile').retrieve(f.id)) as unknown as Record<string, unknown>;
    expect(rec).toMatchObject({
      Id: f.id,
      EventType: f.eventType,
      LogFileLength: f.logFileLength,
      Sequence: f.sequence,
    });
    expect((await get(`/services/data/v62.0/sobjects/EventLogFile/0AT5j0000AAAAAAAAA`)).status).toBe(404);
  });
});
