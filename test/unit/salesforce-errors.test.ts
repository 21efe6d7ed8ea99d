import { ApiUsageTracker, parseLimitInfo } from '../../src/salesforce/api-usage';
import {
  classifySalesforceError,
  endpointPath,
  parseRetryAfter,
  SalesforceError,
  type ClassifyContext,
} from '../../src/salesforce/errors';
import { redactSecrets } from '../../src/salesforce/redact';

/** What jsforce's HttpApiError looks like (the class itself is not exported). */
function httpApiError(errorCode: string, message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { name: errorCode, errorCode, data: data ?? { errorCode, message } });
}
/** What jsforce's OAuth2 errors look like. */
function oauthError(error: string, description: string): Error {
  return Object.assign(new Error(description), { name: error });
}
/** What node-fetch (jsforce 3.10.16's HTTP client) throws on network failures. */
function fetchError(code: string, url = 'https://acme.my.salesforce.com/services/oauth2/token'): Error {
  return Object.assign(new Error(`request to ${url} failed, reason: connect ${code} 10.0.0.1:443`), {
    name: 'FetchError',
    type: 'system',
    code,
    errno: code,
  });
}

const SECRETS = {
  password: 'Tr0ub4dor&3',
  securityToken: 'XyZsecTOKEN42',
  clientSecret: 'C1ientS3cretValue998877',
  accessToken: '00D5j00000DgAYG!AQEAQH1vQ9kHc7.secret.session.value',
  privateKey: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
};
const secretList = Object.values(SECRETS);
const ctx = (extra: ClassifyContext = {}): ClassifyContext => ({
  sourceId: 'acme-prod',
  username: 'elf-reader@acme.com',
  loginUrl: 'https://acme.my.salesforce.com',
  apiVersion: '62.0',
  secrets: secretList,
  ...extra,
});

function expectNoSecrets(err: SalesforceError): void {
  const text = `${err.message} ${JSON.stringify(err)} ${err.stack ?? ''}`;
  for (const secret of secretList) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
  expect(text).not.toMatch(/00D5j00000DgAYG!/);
  expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC');
}

describe('classifySalesforceError: logins', () => {
  it('SOAP INVALID_LOGIN', () => {
    const err = classifySalesforceError(
      new Error('INVALID_LOGIN: Invalid username, password, security token; or user locked out.'),
      ctx({
        operation: 'login',
        authType: 'password',
        endpoint: 'https://acme.my.salesforce.com/services/Soap/u/62.0',
      }),
    );
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'INVALID_LOGIN', sourceId: 'acme-prod' });
    expect(err.endpoint).toBe('/services/Soap/u/62.0');
    expect(err.message).toBe(
      'Salesforce rejected the login for elf-reader@acme.com (INVALID_LOGIN): check the username, the password and ' +
        'the security token (appended to the password), or use an OAuth flow; the user may also be locked out or frozen. ' +
        "In orgs created from Summer '26 (or that enforce it), SOAP login() also needs the user permission 'Use Any " +
        "API Auth' on the integration user; client-credentials or jwt auth needs neither.",
    );
    expect(err.retryable).toBe(false);
  });

  it('SOAP LOGIN_MUST_USE_SECURITY_TOKEN', () => {
    const err = classifySalesforceError(
      new Error('LOGIN_MUST_USE_SECURITY_TOKEN: Invalid username, password, security token; or user locked out. ...'),
      ctx({ operation: 'login', authType: 'password' }),
    );
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'LOGIN_MUST_USE_SECURITY_TOKEN' });
    expect(err.message).toContain('set salesforce.auth.securityToken');
    expect(err.message).toContain('Reset My Security Token');
    expect(err.message).toContain('trusted IPs');
  });

  it('SOAP login() refused at API 65.0', () => {
    const err = classifySalesforceError(
      new Error(
        'INVALID_OPERATION: The SOAP Login operation is not available in the API version specified (65.0). ' +
          'Use a supported API version or an alternative authentication method.',
      ),
      ctx({ operation: 'login', authType: 'password', apiVersion: '65.0' }),
    );
    expect(err).toMatchObject({ kind: 'config', errorCode: 'INVALID_OPERATION' });
    expect(err.message).toBe(
      "SOAP login() is not available in API 65.0 and later (retired in Summer '27): set salesforce.apiVersion below " +
        '65.0 or switch salesforce.auth.type to client-credentials or jwt.',
    );
  });

  it('SOAP login() disabled in the org', () => {
    const err = classifySalesforceError(
      new Error('INVALID_OPERATION: SOAP API login() is disabled by default in this org.'),
      ctx({ operation: 'login', authType: 'password' }),
    );
    expect(err.kind).toBe('config');
    expect(err.message).toMatch(/SOAP API login\(\) is disabled .*client-credentials or jwt/);
  });

  it('expired password', () => {
    const err = classifySalesforceError(
      new Error('Unable to login because the used password has expired.'),
      ctx({ operation: 'login', authType: 'password' }),
    );
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'INVALID_OPERATION_WITH_EXPIRED_PASSWORD' });
  });

  it('API_DISABLED_FOR_ORG (SOAP or REST)', () => {
    for (const e of [
      new Error('API_DISABLED_FOR_ORG: API is not enabled for this Organization or Partner'),
      httpApiError('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner'),
    ]) {
      const err = classifySalesforceError(e, ctx({ status: 403 }));
      expect(err).toMatchObject({ kind: 'permission', errorCode: 'API_DISABLED_FOR_ORG' });
      expect(err.message).toContain("'API Enabled'");
    }
  });

  it('client credentials on login.salesforce.com', () => {
    const err = classifySalesforceError(
      oauthError('invalid_grant', 'request not supported on this domain'),
      ctx({ operation: 'login', authType: 'client-credentials', loginUrl: 'https://login.salesforce.com' }),
    );
    expect(err).toMatchObject({ kind: 'config', errorCode: 'invalid_grant' });
    expect(err.message).toContain('My Domain URL');
  });

  it('OAuth invalid_grant by flow', () => {
    const jwt = classifySalesforceError(
      oauthError('invalid_grant', 'invalid assertion'),
      ctx({ operation: 'login', authType: 'jwt' }),
    );
    expect(jwt.kind).toBe('auth');
    expect(jwt.message).toMatch(/JWT bearer login for elf-reader@acme.com \(invalid_grant: invalid assertion\)/);
    expect(jwt.message).toContain('certificate');

    const approve = classifySalesforceError(
      oauthError('invalid_grant', "user hasn't approved this consumer"),
      ctx({ operation: 'login', authType: 'jwt' }),
    );
    expect(approve.message).toContain('pre-authorize');

    const pw = classifySalesforceError(
      oauthError('invalid_grant', 'authentication failure'),
      ctx({ operation: 'login', authType: 'oauth-password' }),
    );
    expect(pw.kind).toBe('auth');
    expect(pw.message).toContain('security token');

    const cc = classifySalesforceError(
      oauthError('invalid_client', 'invalid client credentials'),
      ctx({ operation: 'login', authType: 'client-credentials', username: undefined }),
    );
    expect(cc.kind).toBe('auth');
    expect(cc.message).toContain('clientId');
  });

  it('unsupported grant type is a configuration problem', () => {
    const err = classifySalesforceError(
      oauthError('unsupported_grant_type', 'grant type not supported'),
      ctx({ operation: 'login', authType: 'client-credentials' }),
    );
    expect(err.kind).toBe('config');
  });

  it("jsforce's wrapped refresh failure", () => {
    const err = classifySalesforceError(
      new Error('Unable to refresh session due to: INVALID_LOGIN: Invalid username, password, security token.'),
      ctx({ authType: 'password' }),
    );
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'INVALID_LOGIN' });
  });
});

describe('classifySalesforceError: REST', () => {
  it('REQUEST_LIMIT_EXCEEDED waits an hour by default, or Retry-After', () => {
    const err = classifySalesforceError(
      httpApiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      ctx({ status: 403, endpoint: '/services/data/v62.0/query?q=SELECT+Id' }),
    );
    expect(err).toMatchObject({ kind: 'rate-limited', errorCode: 'REQUEST_LIMIT_EXCEEDED', retryAfterMs: 3_600_000 });
    expect(err.endpoint).toBe('/services/data/v62.0/query');
    expect(err.retryable).toBe(true);
    const withHeader = classifySalesforceError(
      httpApiError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'),
      ctx({ status: 403, retryAfter: '120' }),
    );
    expect(withHeader.retryAfterMs).toBe(120_000);
  });

  it('concurrent-request limits retry sooner', () => {
    const err = classifySalesforceError(
      httpApiError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'),
      ctx({ status: 403 }),
    );
    expect(err.kind).toBe('rate-limited');
    expect(err.retryAfterMs).toBe(60_000);
  });

  it('missing permission or Event Monitoring', () => {
    for (const [code, message, extra] of [
      ['INVALID_TYPE', "sObject type 'EventLogFile' is not supported.", { operation: 'query' as const }],
      ['INSUFFICIENT_ACCESS', 'insufficient access rights on object id', { operation: 'query' as const }],
      ['NOT_FOUND', 'The requested resource does not exist', { operation: 'describe' as const }],
      ['FUNCTIONALITY_NOT_ENABLED', 'Event Monitoring is not enabled', { operation: 'query' as const }],
    ] as const) {
      const err = classifySalesforceError(httpApiError(code, message), ctx(extra));
      expect(err).toMatchObject({ kind: 'permission', errorCode: code });
      expect(err.message).toContain(
        "grant the permission 'View Event Log Files' (and 'API Enabled') to the integration user",
      );
    }
  });

  it('INVALID_SESSION_ID after a refresh is an auth failure', () => {
    const err = classifySalesforceError(
      httpApiError('INVALID_SESSION_ID', 'Session expired or invalid'),
      ctx({ status: 401, afterRefresh: true }),
    );
    expect(err).toMatchObject({ kind: 'auth', errorCode: 'INVALID_SESSION_ID' });
    expect(err.message).toContain('even after logging in again');
  });

  it.each([
    ['SERVER_UNAVAILABLE', 503],
    ['UNKNOWN_EXCEPTION', 500],
    ['QUERY_TIMEOUT', 400],
    ['INVALID_QUERY_LOCATOR', 400],
  ])('%s is transient', (code, status) => {
    expect(classifySalesforceError(httpApiError(code, 'x'), ctx({ status })).kind).toBe('transient');
  });

  it.each([500, 502, 503, 504, 420, 429])('non-JSON HTTP %i is transient', (status) => {
    const err = classifySalesforceError(httpApiError(`ERROR_HTTP_${status}`, '<html>oops</html>'), ctx());
    expect(err).toMatchObject({ kind: 'transient', status });
  });

  it('404 on a LogFile means the file is gone', () => {
    const err = classifySalesforceError(
      httpApiError('NOT_FOUND', 'The requested resource does not exist'),
      ctx({ status: 404, operation: 'download', fileId: '0AT5j00002LqQTxGAN' }),
    );
    expect(err).toMatchObject({ kind: 'not-found', status: 404 });
    expect(err.message).toContain('0AT5j00002LqQTxGAN');
  });

  it('404 elsewhere points at the API version', () => {
    const err = classifySalesforceError(
      httpApiError('NOT_FOUND', 'The requested resource does not exist'),
      ctx({ status: 404, operation: 'query', endpoint: '/services/data/v99.0/query?q=x' }),
    );
    expect(err.kind).toBe('config');
    expect(err.message).toContain('salesforce.apiVersion');
  });

  it('bad SOQL is an invalid request', () => {
    const err = classifySalesforceError(
      httpApiError('INVALID_FIELD', "No such column 'Interval' on entity 'EventLogFile'."),
      ctx({ status: 400, operation: 'query', apiVersion: '36.0' }),
    );
    expect(err.kind).toBe('invalid-request');
    expect(err.message).toContain('37.0');
  });

  it('MULTIPLE_API_ERRORS uses the first error', () => {
    const err = classifySalesforceError(
      httpApiError('MULTIPLE_API_ERRORS', 'Multiple errors returned.', [
        { errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' },
        { errorCode: 'OTHER', message: 'x' },
      ]),
      ctx({ status: 403 }),
    );
    expect(err).toMatchObject({ kind: 'rate-limited', errorCode: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('passes SalesforceErrors through, filling in context', () => {
    const original = new SalesforceError({ kind: 'transient', message: 'x' });
    const err = classifySalesforceError(original, { sourceId: 's1', endpoint: 'https://h/p?q=1' });
    expect(err).toMatchObject({ kind: 'transient', message: 'x', sourceId: 's1', endpoint: '/p' });
  });
});

describe('classifySalesforceError: network', () => {
  it('ECONNREFUSED says the URL is unreachable', () => {
    const err = classifySalesforceError(fetchError('ECONNREFUSED'), ctx({ operation: 'login' }));
    expect(err).toMatchObject({ kind: 'transient', errorCode: 'ECONNREFUSED' });
    expect(err.message).toContain('https://acme.my.salesforce.com is unreachable');
  });

  it.each(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET'])(
    '%s is transient',
    (code) => {
      expect(classifySalesforceError(fetchError(code), ctx())).toMatchObject({ kind: 'transient', errorCode: code });
    },
  );

  it('socket hang up and timeouts are transient', () => {
    expect(classifySalesforceError(new Error('socket hang up'), ctx()).kind).toBe('transient');
    expect(classifySalesforceError(new Error('Request Timeout'), ctx()).kind).toBe('transient');
  });

  it('TLS verification failures are configuration problems', () => {
    const err = classifySalesforceError(fetchError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), ctx());
    expect(err.kind).toBe('config');
    expect(err.message).toContain('NODE_EXTRA_CA_CERTS');
  });
});

describe('no secret in any message', () => {
  const hostile: [string, Error, ClassifyContext][] = [
    [
      'SOAP fault quoting the request',
      new Error(
        `INVALID_LOGIN: bad <password>${SECRETS.password}${SECRETS.securityToken}</password> for ${SECRETS.password}`,
      ),
      { operation: 'login', authType: 'password' },
    ],
    [
      'non-fault SOAP body',
      new Error(`<soapenv:Envelope><sessionId>${SECRETS.accessToken}</sessionId></soapenv:Envelope>`),
      { operation: 'login', authType: 'password' },
    ],
    [
      'OAuth description echoing the client secret',
      oauthError('invalid_client', `client_secret=${encodeURIComponent(SECRETS.clientSecret)} is wrong`),
      { operation: 'login', authType: 'client-credentials' },
    ],
    [
      'network error with a token in the URL',
      fetchError('ECONNRESET', `https://acme.my.salesforce.com/id/00D/005?oauth_token=${SECRETS.accessToken}`),
      {},
    ],
    [
      'REST error echoing a bearer header',
      httpApiError('UNKNOWN_EXCEPTION', `Authorization: Bearer ${SECRETS.accessToken}`),
      { status: 500 },
    ],
    [
      'a private key in a message',
      oauthError('invalid_grant', `bad key ${SECRETS.privateKey}`),
      { operation: 'login', authType: 'jwt' },
    ],
    ['unknown error', new Error(`weird ${SECRETS.password} ${SECRETS.clientSecret} ${SECRETS.securityToken}`), {}],
    ['non-Error value', `thrown string ${SECRETS.password}` as unknown as Error, {}],
  ];

  it.each(hostile)('%s', (_label, error, extra) => {
    expectNoSecrets(classifySalesforceError(error, ctx(extra)));
  });

  it('recognises session ids and bearer tokens even when not told the value', () => {
    const err = classifySalesforceError(
      httpApiError('UNKNOWN_EXCEPTION', `token ${SECRETS.accessToken} and Bearer abc.def123xyz`),
      { status: 500 },
    );
    expect(err.message).not.toContain('00D5j00000DgAYG!');
    expect(err.message).not.toContain('abc.def123xyz');
  });
});

describe('helpers', () => {
  it('endpointPath strips host and query', () => {
    expect(endpointPath('https://x.my.salesforce.com/services/data/v62.0/query?q=SELECT')).toBe(
      '/services/data/v62.0/query',
    );
    expect(endpointPath('/services/data/v62.0/query/01g-200')).toBe('/services/data/v62.0/query/01g-200');
  });

  it('parseRetryAfter reads seconds and dates', () => {
    expect(parseRetryAfter('30')).toBe(30_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('redactSecrets handles encodings and patterns', () => {
    const out = redactSecrets(
      `p=${encodeURIComponent('a b&c')} x=a b&amp;c <password>zzz</password> access_token=abc123 eyJhbGciOi.eyJpc3MiOi.sig`,
      ['a b&c'],
    );
    expect(out).not.toMatch(/a%20b|a\+b|a b&amp;c|zzz|abc123|eyJhbGciOi/);
  });
});

describe('API usage', () => {
  it('parses Sforce-Limit-Info', () => {
    expect(parseLimitInfo('api-usage=10018/100000')).toEqual({ used: 10018, limit: 100000 });
    expect(parseLimitInfo('per-app-api-usage=2/100(appName=x), api-usage=5/15000')).toEqual({ used: 5, limit: 15000 });
    expect(parseLimitInfo(undefined)).toBeUndefined();
    expect(parseLimitInfo('nothing')).toBeUndefined();
  });

  it('keeps the reserve', () => {
    const t = new ApiUsageTracker();
    expect(() => t.assertBudget(0.1)).not.toThrow();
    t.observe('api-usage=900/1000');
    expect(() => t.assertBudget(0.1)).not.toThrow();
    t.observe('api-usage=901/1000');
    let caught: unknown;
    try {
      t.assertBudget(0.1, { sourceId: 'acme' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ kind: 'rate-limited', retryAfterMs: 3_600_000, sourceId: 'acme' });
    expect(() => t.assertBudget(1.5)).toThrow(RangeError);
  });
});
