/** `Logout` rows; column order confirmed by two sources (Elastic fixture key order, Panther). */
import type { EventSchema, RowContext } from './common';
import { clientIp, HEAD_COLUMNS, pickUser, requestId, sessionKey, timestamps, userAgent } from './common';

/** Logout event schema. */
export const logoutSchema: EventSchema = {
  columns: [
    ...HEAD_COLUMNS,
    ['USER_TYPE', 'String'],
    ['SESSION_TYPE', 'String'],
    ['SESSION_LEVEL', 'String'],
    ['BROWSER_TYPE', 'String'],
    ['PLATFORM_TYPE', 'Number'],
    ['RESOLUTION_TYPE', 'Number'],
    ['APP_TYPE', 'Number'],
    ['CLIENT_VERSION', 'Number'],
    ['API_TYPE', 'String'],
    ['API_VERSION', 'String'],
    ['USER_INITIATED_LOGOUT', 'Boolean'],
    ['SESSION_KEY', 'String'],
    ['LOGIN_KEY', 'String'],
    ['TIMESTAMP_DERIVED', 'DateTime'],
    ['USER_ID_DERIVED', 'Id'],
    ['CLIENT_IP', 'String'],
  ],
  row(ctx: RowContext): string[] {
    const { rng } = ctx;
    const user = pickUser(ctx);
    const { ts, derived } = timestamps(ctx);
    const clicked = rng.chance(0.4);
    const api = rng.chance(0.3);
    return [
      'Logout',
      ts,
      requestId(rng),
      ctx.org.orgId15,
      user.id15,
      user.userType === 'Guest' ? 'G' : user.userType === 'PowerPartner' ? 'P' : rng.pick(['S', 'S', 'X']),
      api ? rng.pick(['A', 'O']) : 'U',
      rng.pick(['1', '1', '1', '2']),
      userAgent(rng),
      // Platform and resolution are empty when the session timed out.
      clicked ? String(rng.pick([1000, 2003, 4000, 5005, 5006])) : '',
      clicked ? String(rng.pick([1920, 1440, 2560, 1280])) : '',
      String(rng.pick([1000, 1007, 2514])),
      String(rng.range(1, 9)),
      api ? rng.pick(['E', 'P', 'R']) : '',
      api ? ctx.org.apiVersion : '9998.0',
      clicked ? '1' : '0',
      sessionKey(rng),
      sessionKey(rng),
      derived,
      user.id18,
      clientIp(rng),
    ];
  },
};
