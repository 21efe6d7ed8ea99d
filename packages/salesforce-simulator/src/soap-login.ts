/**
 * SOAP `login()` and `logout()` on `/services/Soap/u/{version}` (partner) and `/services/Soap/c/{version}`
 * (enterprise), as jsforce's `loginBySoap` and other SOAP clients call them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { MIN_API_VERSION } from './context';
import { readBody, xmlEscape, xmlUnescape } from './http-util';

const XML_TYPE = 'text/xml;charset=UTF-8';
const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
/** First API version without SOAP login(). */
const SOAP_LOGIN_REMOVED = 65;

const INVALID_LOGIN = 'Invalid username, password, security token; or user locked out.';
const MUST_USE_TOKEN =
  'Invalid username, password, security token; or user locked out. Are you at a new location? When accessing Salesforce--either via a desktop client or the API--from outside of your company\u2019s trusted networks, you must add a security token to your password to log in. To get your new security token, log in to Salesforce. From your personal settings, enter Reset My Security Token in the Quick Find box, then select Reset My Security Token.';

/** `/services/Soap/{u|c}/{version}[/{orgId}]`. */
export const SOAP_PATH = /^\/services\/Soap\/([uc])\/([^/]+)(?:\/[^/]*)?$/;

/** Handles a SOAP request whose path matched {@link SOAP_PATH}. */
export async function handleSoap(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  api: 'u' | 'c',
  versionText: string,
): Promise<void> {
  const ns = api === 'u' ? 'partner' : 'enterprise';
  const fault = (code: string, message: string, detailType: string, clientFault = false) =>
    sendFault(res, ns, clientFault ? 'soapenv:Client' : `sf:${code}`, message, detailType, code);
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' }).end('Method Not Allowed');
    return;
  }
  const body = await readBody(req);
  const operation = /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:[\w.-]+:)?([\w.-]+)/.exec(body)?.[1];
  const version = /^\d+\.\d$/.test(versionText) ? Number(versionText) : NaN;
  if (!(version >= MIN_API_VERSION && version <= ctx.apiVersionMax)) {
    return fault('UNSUPPORTED_API_VERSION', 'Invalid Api version specified on URL', 'UnexpectedErrorFault');
  }
  if (operation === 'logout') {
    const sessionId = element(body, 'sessionId');
    if (!sessionId || !ctx.sessions.touch(sessionId)) {
      return fault(
        'INVALID_SESSION_ID',
        'Invalid Session ID found in SessionHeader: Illegal Session',
        'UnexpectedErrorFault',
      );
    }
    ctx.sessions.revoke(sessionId);
    return sendXml(res, 200, `<logoutResponse/>`, ns);
  }
  if (operation !== 'login') {
    const what = `{urn:${ns}.soap.sforce.com}${operation ?? ''}`;
    return fault('', `No operation available for request ${what}, please check the WSDL for the service.`, '', true);
  }
  if (version >= SOAP_LOGIN_REMOVED) {
    return fault(
      'INVALID_OPERATION',
      `The SOAP Login operation is not available in the API version specified (${versionText})`,
      'UnexpectedErrorFault',
    );
  }
  if (!ctx.org.soapLoginEnabled) {
    return fault(
      'INVALID_OPERATION',
      'SOAP API login() is disabled by default in this org. Contact the org administrator to enable SOAP API login().',
      'UnexpectedErrorFault',
    );
  }
  const username = element(body, 'username') ?? '';
  const password = element(body, 'password') ?? '';
  const { credentials: c } = ctx;
  const userOk = username.toLowerCase() === c.username.toLowerCase();
  if (!userOk || (password !== c.password + c.securityToken && password !== c.password)) {
    return fault('INVALID_LOGIN', INVALID_LOGIN, 'LoginFault');
  }
  if (password === c.password && c.securityToken !== '') {
    return fault('LOGIN_MUST_USE_SECURITY_TOKEN', MUST_USE_TOKEN, 'LoginFault');
  }
  if (ctx.org.useAnyApiAuthMissing) {
    // Salesforce does not document the fault of a SOAP login() refused for lack of Use Any API Auth ("Platform
    // SOAP API login() Retirement", https://help.salesforce.com/s/articleView?id=005132110): the plain login fault.
    return fault('INVALID_LOGIN', INVALID_LOGIN, 'LoginFault');
  }
  if (!ctx.org.apiEnabled) {
    return fault('API_DISABLED_FOR_ORG', 'API is not enabled for this Organization or Partner', 'LoginFault');
  }
  sendXml(res, 200, loginResult(ctx, api, versionText), ns);
}

function loginResult(ctx: SimContext, api: 'u' | 'c', version: string): string {
  const id = ctx.identity;
  const sessionId = ctx.sessions.create();
  const tags = (pairs: [string, string | boolean | number | null][]) =>
    pairs.map(([k, v]) => (v === null ? `<${k} xsi:nil="true"/>` : `<${k}>${xmlEscape(String(v))}</${k}>`)).join('');
  const userInfo = tags([
    ['accessibilityMode', false],
    ['chatterExternal', false],
    ['currencySymbol', '$'],
    ['orgAttachmentFileSizeLimit', 5242880],
    ['orgDefaultCurrencyIsoCode', 'USD'],
    ['orgDefaultCurrencyLocale', 'en_US'],
    ['orgDisallowHtmlAttachments', false],
    ['orgHasPersonAccounts', false],
    ['organizationId', id.orgId],
    ['organizationMultiCurrency', false],
    ['organizationName', id.orgName],
    ['profileId', id.profileId],
    ['roleId', null],
    ['sessionSecondsValid', 7200],
    ['userDefaultCurrencyIsoCode', null],
    ['userEmail', id.userEmail],
    ['userFullName', id.userFullName],
    ['userId', id.userId],
    ['userLanguage', 'en_US'],
    ['userLocale', 'en_US'],
    ['userName', id.username],
    ['userTimeZone', 'GMT'],
    ['userType', 'Standard'],
    ['userUiSkin', 'Theme3'],
  ]);
  const result = tags([
    ['metadataServerUrl', `${ctx.instanceUrl}/services/Soap/m/${version}/${id.orgId15}`],
    ['passwordExpired', false],
    ['sandbox', false],
    ['serverUrl', `${ctx.instanceUrl}/services/Soap/${api}/${version}/${id.orgId15}`],
    ['sessionId', sessionId],
    ['userId', id.userId],
  ]);
  return `<loginResponse><result>${result}<userInfo>${userInfo}</userInfo></result></loginResponse>`;
}

/** Text of the first element with this local name (any namespace prefix), unescaped. */
function element(xml: string, name: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}>`).exec(xml);
  return m?.[1] === undefined ? undefined : xmlUnescape(m[1]);
}

function sendXml(res: ServerResponse, status: number, body: string, ns: string): void {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" ` +
    `xmlns="urn:${ns}.soap.sforce.com" xmlns:xsi="${XSI_NS}"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
  const bytes = Buffer.from(xml, 'utf8');
  res.writeHead(status, { 'Content-Type': XML_TYPE, 'Content-Length': String(bytes.length) }).end(bytes);
}

/** A SOAP 1.1 fault, HTTP 500, with Salesforce's fault detail. */
export function sendFault(
  res: ServerResponse,
  ns: string,
  faultcode: string,
  message: string,
  detailType: string,
  exceptionCode: string,
): void {
  const faultNs = `urn:fault.${ns}.soap.sforce.com`;
  const faultstring = exceptionCode ? `${exceptionCode}: ${message}` : message;
  const detail = detailType
    ? `<detail><sf:${detailType} xmlns:sf="${faultNs}" xsi:type="sf:${detailType}">` +
      `<sf:exceptionCode>${exceptionCode}</sf:exceptionCode>` +
      `<sf:exceptionMessage>${xmlEscape(message)}</sf:exceptionMessage></sf:${detailType}></detail>`
    : '';
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="${ENVELOPE_NS}" ` +
    `xmlns:sf="${faultNs}" xmlns:xsi="${XSI_NS}"><soapenv:Body><soapenv:Fault>` +
    `<faultcode>${faultcode}</faultcode><faultstring>${xmlEscape(faultstring)}</faultstring>${detail}` +
    `</soapenv:Fault></soapenv:Body></soapenv:Envelope>`;
  const bytes = Buffer.from(xml, 'utf8');
  res.writeHead(500, { 'Content-Type': XML_TYPE, 'Content-Length': String(bytes.length) }).end(bytes);
}
