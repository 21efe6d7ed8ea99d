import { Connection } from 'jsforce';
import { startSimulator } from '../src';
import type { Simulator } from '../src';
import { bodyText, rawRequest, soapLoginEnvelope } from './helpers';

describe('SOAP login', () => {
  let sim: Simulator;
  const logs: string[] = [];
  beforeAll(async () => {
    sim = await startSimulator({ now: '2026-11-27T13:00:00Z', log: (l) => logs.push(l) });
  });
  afterAll(() => sim.close());
  afterEach(() => sim.control.setOrg({ soapLoginEnabled: true, apiEnabled: true }));

  const login = (version: string, password: string, username = sim.credentials.username) => {
    const conn = new Connection({ loginUrl: sim.url, version });
    return conn.login(username, password).then((userInfo) => ({ conn, userInfo }));
  };
  const goodPassword = () => sim.credentials.password + sim.credentials.securityToken;

  it('logs jsforce in and returns the instance URL, not the login URL', async () => {
    const { conn, userInfo } = await login('62.0', goodPassword());
    expect(userInfo).toEqual({
      id: sim.userId,
      organizationId: sim.orgId,
      url: `${sim.url}/id/${sim.orgId}/${sim.userId}`,
    });
    expect(conn.instanceUrl).toBe(sim.instanceUrl);
    expect(conn.instanceUrl).not.toBe(sim.url);
    expect(conn.accessToken).toMatch(new RegExp(`^${sim.orgId.slice(0, 15)}!AQ[A-Za-z0-9]+$`));
    // The session works against REST.
    const res = await conn.query<{ Id: string }>('SELECT Id FROM EventLogFile LIMIT 1');
    expect(res.records).toHaveLength(1);
  });

  it('answers a LoginResult envelope in Salesforce shape', async () => {
    const r = await rawRequest(`${sim.url}/services/Soap/u/62.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: soapLoginEnvelope(sim.credentials.username.toUpperCase(), goodPassword()),
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/xml;charset=UTF-8');
    const xml = bodyText(r);
    const org15 = sim.orgId.slice(0, 15);
    expect(xml).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><soapenv:Envelope xmlns:soapenv="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/" xmlns="urn:partner.soap.sforce.com"/,
    );
    expect(xml).toContain(
      `<loginResponse><result><metadataServerUrl>${sim.instanceUrl}/services/Soap/m/62.0/${org15}</metadataServerUrl>` +
        `<passwordExpired>false</passwordExpired><sandbox>false</sandbox>` +
        `<serverUrl>${sim.instanceUrl}/services/Soap/u/62.0/${org15}</serverUrl><sessionId>`,
    );
    expect(xml).toContain(`<userId>${sim.userId}</userId><userInfo>`);
    for (const tag of [
      `<organizationId>${sim.orgId}</organizationId>`,
      '<organizationName>Acme Simulated Inc.</organizationName>',
      `<userName>${sim.username}</userName>`,
      '<userEmail>elf-reader@acme-sim.example</userEmail>',
      '<userFullName>ELF Reader</userFullName>',
      '<userTimeZone>GMT</userTimeZone>',
      '<userType>Standard</userType>',
      '<roleId xsi:nil="true"/>',
      '<sessionSecondsValid>7200</sessionSecondsValid>',
    ]) {
      expect(xml).toContain(tag);
    }
    expect(xml).toMatch(/<profileId>00e[0-9A-Za-z]{15}<\/profileId>/);
    expect(xml).toMatch(/<\/userInfo><\/result><\/loginResponse><\/soapenv:Body><\/soapenv:Envelope>$/);
  });

  it('accepts the enterprise endpoint and namespace-prefixed envelopes', async () => {
    const body =
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:enterprise.soap.sforce.com">' +
      `<soapenv:Body><urn:login><urn:username>${sim.username}</urn:username><urn:password>${goodPassword()}</urn:password></urn:login></soapenv:Body></soapenv:Envelope>`;
    const r = await rawRequest(`${sim.url}/services/Soap/c/58.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: 'login' },
      body,
    });
    expect(r.status).toBe(200);
    expect(bodyText(r)).toContain(
      `<serverUrl>${sim.instanceUrl}/services/Soap/c/58.0/${sim.orgId.slice(0, 15)}</serverUrl>`,
    );
  });

  it('faults INVALID_LOGIN on a wrong password, with the LoginFault detail', async () => {
    await expect(login('62.0', 'wrong' + sim.credentials.securityToken)).rejects.toThrow(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
    await expect(login('62.0', goodPassword(), 'someone@else.example')).rejects.toThrow('INVALID_LOGIN');
    const r = await rawRequest(`${sim.url}/services/Soap/u/62.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      body: soapLoginEnvelope(sim.username, 'nope'),
    });
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toBe('text/xml;charset=UTF-8');
    expect(bodyText(r)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
        'xmlns:sf="urn:fault.partner.soap.sforce.com" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault>' +
        '<faultcode>sf:INVALID_LOGIN</faultcode><faultstring>INVALID_LOGIN: Invalid username, password, security token; or user locked out.</faultstring>' +
        '<detail><sf:LoginFault xmlns:sf="urn:fault.partner.soap.sforce.com" xsi:type="sf:LoginFault"><sf:exceptionCode>INVALID_LOGIN</sf:exceptionCode>' +
        '<sf:exceptionMessage>Invalid username, password, security token; or user locked out.</sf:exceptionMessage></sf:LoginFault></detail>' +
        '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
    );
  });

  it('faults LOGIN_MUST_USE_SECURITY_TOKEN when the password is right but the token is missing', async () => {
    await expect(login('62.0', sim.credentials.password)).rejects.toThrow(
      /^LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out\. Are you at a new location\?/,
    );
  });

  it('refuses SOAP login from API 65.0 with INVALID_OPERATION', async () => {
    await expect(login('65.0', goodPassword())).rejects.toThrow(
      'INVALID_OPERATION: The SOAP Login operation is not available in the API version specified (65.0)',
    );
    await expect(login('66.0', goodPassword())).rejects.toThrow('(66.0)');
  });

  it('refuses SOAP login when the org has it disabled', async () => {
    sim.control.setOrg({ soapLoginEnabled: false });
    await expect(login('62.0', goodPassword())).rejects.toThrow(
      'INVALID_OPERATION: SOAP API login() is disabled by default in this org. Contact the org administrator to enable SOAP API login().',
    );
  });

  it('faults UNSUPPORTED_API_VERSION below 31.0 and above the highest version', async () => {
    await expect(login('30.0', goodPassword())).rejects.toThrow(
      'UNSUPPORTED_API_VERSION: Invalid Api version specified on URL',
    );
    await expect(login('69.0', goodPassword())).rejects.toThrow('UNSUPPORTED_API_VERSION');
  });

  it("faults INVALID_LOGIN when the org enforces Use Any API Auth and the user lacks it (Summer '26)", async () => {
    sim.control.setOrg({ useAnyApiAuthMissing: true });
    try {
      await expect(login('62.0', goodPassword())).rejects.toThrow(/INVALID_LOGIN/);
    } finally {
      sim.control.setOrg({ useAnyApiAuthMissing: false });
    }
    await expect(login('62.0', goodPassword())).resolves.toBeDefined();
  });

  it('faults API_DISABLED_FOR_ORG when the API is off', async () => {
    sim.control.setOrg({ apiEnabled: false });
    await expect(login('62.0', goodPassword())).rejects.toThrow(
      'API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner',
    );
  });

  it('http-error on the SOAP endpoint: jsforce does not retry the POST and reports the fault', async () => {
    sim.control.inject({ kind: 'http-error', status: 500, count: 1, pathContains: '/services/Soap/' });
    await expect(login('62.0', goodPassword())).rejects.toThrow(
      /^UNKNOWN_EXCEPTION: An unexpected error occurred\. Please include this ErrorId if you contact support: /,
    );
    await expect(login('62.0', goodPassword())).resolves.toMatchObject({ userInfo: { id: sim.userId } });
  });

  it('logs out through SOAP: the session stops working', async () => {
    const { conn } = await login('62.0', goodPassword());
    const token = conn.accessToken ?? '';
    await conn.logout();
    const r = await rawRequest(`${sim.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(401);
  });

  it('never writes the password, token or session into its request log', async () => {
    const { conn } = await login('62.0', goodPassword());
    await conn.query('SELECT Id FROM EventLogFile LIMIT 1');
    expect(logs.some((l) => l.startsWith('POST /services/Soap/u/62.0 200 '))).toBe(true);
    const all = logs.join('\n');
    expect(all).not.toContain(sim.credentials.password);
    expect(all).not.toContain(sim.credentials.securityToken);
    expect(all).not.toContain(conn.accessToken ?? 'no-token');
    expect(all).not.toContain('SELECT');
  });
});
