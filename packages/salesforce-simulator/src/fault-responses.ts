/** Responses for injected `http-error` faults, shaped like what Salesforce (or its edge) sends per endpoint. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JSON_TYPE, sendBody, sendRestError } from './http-util';
import { sendOAuthError } from './oauth';
import { sendFault, SOAP_PATH } from './soap-login';

/** The body Salesforce (or its edge) sends for an injected 5xx on this kind of endpoint. */
export function sendInjectedError(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  status: 500 | 502 | 503,
): void {
  if (status === 502) {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
    res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': String(html.length) }).end(html);
    return;
  }
  const errorId = `${Math.floor(Math.random() * 1e9)}-${Math.floor(Math.random() * 1e5)} (${-Math.floor(Math.random() * 1e9)})`;
  const unexpected = `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`;
  if (SOAP_PATH.test(path)) {
    const ns = SOAP_PATH.exec(path)?.[1] === 'c' ? 'enterprise' : 'partner';
    if (status === 500)
      return sendFault(res, ns, 'sf:UNKNOWN_EXCEPTION', unexpected, 'UnexpectedErrorFault', 'UNKNOWN_EXCEPTION');
    return sendFault(
      res,
      ns,
      'sf:SERVER_UNAVAILABLE',
      'Server unavailable',
      'UnexpectedErrorFault',
      'SERVER_UNAVAILABLE',
    );
  }
  if (path.startsWith('/services/oauth2/')) {
    return sendOAuthError(req, res, status, ['unknown_error', 'retry your request']);
  }
  if (status === 500) return sendRestError(req, res, 500, 'UNKNOWN_EXCEPTION', unexpected);
  sendBody(
    req,
    res,
    503,
    JSON_TYPE,
    JSON.stringify([
      { message: 'Server temporarily unavailable. Please try again later.', errorCode: 'SERVER_UNAVAILABLE' },
    ]),
    { 'Retry-After': '5' },
  );
}
