/** `Login` rows: the 28-column header of 2023 files (elastic/beats fixture), types from the Login event docs. */
import type { EventSchema, RowContext } from './common';
import {
  clientIp,
  duration,
  ipv4,
  pickUser,
  REQUEST_COLUMNS,
  requestId,
  sessionKey,
  timestamps,
  userAgent,
} from './common';

const LOGIN_TYPES = [
  // [LOGIN_TYPE code, URI, API_TYPE, AUTHENTICATION_METHOD_REFERENCE]
  ['a', '/index.jsp', '', 'pwd'],
  ['i', '/services/oauth2/token', '', ''],
  ['6', '/services/oauth2/token', '', ''],
  ['u', '/services/Soap/u/62.0', 'P', 'pwd'],
  ['z', '/index.jsp', '', 'mfa'],
  ['j', '/saml/SSO', '', ''],
] as const;

const LOGIN_STATUSES = [
  'LOGIN_ERROR_INVALID_PASSWORD',
  'LOGIN_ERROR_INVALID_USERNAME',
  'LOGIN_CHALLENGE_ISSUED',
  'LOGIN_ERROR_RATE_EXCEEDED',
];

/** Login event schema. */
export const loginSchema: EventSchema = {
  columns: [
    ...REQUEST_COLUMNS,
    ['USER_TYPE', 'String'],
    ['REQUEST_STATUS', 'String'],
    ['DB_TOTAL_TIME', 'Number'],
    ['LOGIN_TYPE', 'String'],
    ['BROWSER_TYPE', 'String'],
    ['API_TYPE', 'String'],
    ['API_VERSION', 'String'],
    ['USER_NAME', 'String'],
    ['TLS_PROTOCOL', 'String'],
    ['CIPHER_SUITE', 'String'],
    ['AUTHENTICATION_METHOD_REFERENCE', 'String'],
    ['LOGIN_SUB_TYPE', 'String'],
    ['TIMESTAMP_DERIVED', 'DateTime'],
    ['USER_ID_DERIVED', 'Id'],
    ['CLIENT_IP', 'String'],
    ['URI_ID_DERIVED', 'Id'],
    ['LOGIN_STATUS', 'String'],
    ['SOURCE_IP', 'IP'],
  ],
  row(ctx: RowContext): string[] {
    const { rng } = ctx;
    const user = pickUser(ctx);
    const { ts, derived } = timestamps(ctx);
    const [loginType, uri, apiType, amr] = rng.pick(LOGIN_TYPES);
    const failed = rng.chance(0.06);
    const sourceIp = ipv4(rng);
    const ui = loginType === 'a' || loginType === 'z';
    return [
      'Login',
      ts,
      requestId(rng),
      ctx.org.orgId15,
      user.id15,
      String(duration(rng, 180)),
      String(duration(rng, 40)),
      uri,
      '',
      failed ? '' : sessionKey(rng),
      user.userType,
      '',
      String(duration(rng, 40) * 1_000_000 + rng.int(999_999)),
      loginType,
      userAgent(rng),
      apiType,
      apiType === '' ? '9998.0' : ctx.org.apiVersion,
      user.username,
      rng.pick(['TLSv1.2', 'TLSv1.3', 'TLSv1.3']),
      rng.pick(['ECDHE-RSA-AES256-GCM-SHA384', 'TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256']),
      failed ? '' : amr,
      '',
      derived,
      user.id18,
      // OAuth token logins are relayed by Salesforce: CLIENT_IP shows that literal, SOURCE_IP the caller.
      ui ? clientIp(rng) : 'Salesforce.com IP',
      '',
      failed ? rng.pick(LOGIN_STATUSES) : 'LOGIN_NO_ERROR',
      sourceIp,
    ];
  },
};
