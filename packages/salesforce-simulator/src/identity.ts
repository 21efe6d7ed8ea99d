/** The identity URL `GET /id/{orgId}/{userId}` that OAuth responses point at (jsforce's `identity()`). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from './context';
import { JSON_TYPE, sendBody } from './http-util';
import { normalizeId } from './ids';
import { bearerToken } from './sessions';

/** Handles `/id/{orgId}/{userId}`. */
export function handleIdentity(ctx: SimContext, req: IncomingMessage, res: ServerResponse, path: string): void {
  const token = bearerToken(req.headers.authorization);
  if (!token || !ctx.sessions.touch(token)) {
    res.writeHead(403, { 'Content-Type': 'text/plain' }).end('Bad_OAuth_Token');
    return;
  }
  const [, , org, user] = path.split('/');
  const { identity: id } = ctx;
  if (normalizeId(org ?? '') !== id.orgId || normalizeId(user ?? '') !== id.userId) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Bad_Id');
    return;
  }
  const rest = `${ctx.instanceUrl}/services/data/v{version}/`;
  const soap = (kind: string) => `${ctx.instanceUrl}/services/Soap/${kind}/{version}/${id.orgId15}`;
  const body = {
    id: `${ctx.url}/id/${id.orgId}/${id.userId}`,
    asserted_user: true,
    user_id: id.userId,
    organization_id: id.orgId,
    username: id.username,
    nick_name: id.username.split('@')[0],
    display_name: id.userFullName,
    email: id.userEmail,
    email_verified: true,
    first_name: id.userFullName.split(' ')[0],
    last_name: id.userFullName.split(' ').slice(1).join(' '),
    timezone: 'GMT',
    status: { created_date: null, body: null },
    urls: {
      enterprise: soap('c'),
      metadata: soap('m'),
      partner: soap('u'),
      rest,
      sobjects: `${rest}sobjects/`,
      query: `${rest}query/`,
      profile: `${ctx.instanceUrl}/${id.userId}`,
    },
    active: true,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: 0,
    is_app_installed: true,
  };
  sendBody(req, res, 200, JSON_TYPE, JSON.stringify(body));
}
