/**
 * `Login` rows: the header of Summer '26 files. The 28 columns of 2023 files (elastic/beats fixture) plus the columns
 * the Login event type page documents since (AUTHENTICATION_SERVICE_ID 60.0, FORWARDED_FOR_IP 61.0, COUNTRY_CODE,
 * HTTP_REFERER, LOGIN_URL, USE_API_TOKEN), some inside the header rather than at its end, as Salesforce inserts
 * columns mid-row (https://developer.salesforce.com/docs/platform/object-reference/references/
 * eventlogfile-supported-event-types/object-eventlogfile-login.html).
 */
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
    ['AUTHENTICATION_SERVICE_ID', 'Id'],
    ['LOGIN_SUB_TYPE', 'String'],
    ['LOGIN_URL', 'String'],
    ['HTTP_REFERER', 'String'],
    ['USE_API_TOKEN', 'String'],
    ['TIMESTAMP_DERIVED', 'DateTime'],
    ['USER_ID_DERIVED', 'Id'],
    ['CLIENT_IP', 'String'],
    ['URI_ID_DERIVED', 'Id'],
    ['LOGIN_STATUS', 'String'],
    ['SOURCE_IP', 'IP'],
    ['FORWARDED_FOR_IP', 'String'],
    ['COUNTRY_CODE', 'String'],
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
      '',
      ui ? `https://${ctx.org.domain}` : `https://login.salesforce.com`,
      ui ? `https://${ctx.org.domain}/` : '',
      // USE_API_TOKEN: T when the password carried the security token, P without it (SOAP logins only).
      apiType === 'P' ? rng.pick(['T', 'P']) : '',
      derived,
      user.id18,
      // OAuth token logins are relayed by Salesforce: CLIENT_IP shows that literal, SOURCE_IP the caller.
      ui ? clientIp(rng) : 'Salesforce.com IP',
      '',
      failed ? rng.pick(LOGIN_STATUSES) : 'LOGIN_NO_ERROR',
      sourceIp,
      // Not set for OAuth and SSO logins (Login event type page).
      ui && rng.chance(0.3) ? ipv4(rng) : '',
      rng.pick(['US', 'US', 'DE', 'JP', 'BR', 'IN', 'GB']),
    ];
  },
};
