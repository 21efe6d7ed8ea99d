/** `LoginAs` rows: an administrator impersonating a user; column order as in Panther's schema. */
import type { EventSchema, RowContext } from './common';
import { clientIp, duration, pickUser, recordId, REQUEST_COLUMNS, requestId, sessionKey, timestamps } from './common';

/** LoginAs event schema. */
export const loginAsSchema: EventSchema = {
  columns: [
    ...REQUEST_COLUMNS,
    ['DELEGATED_USER_NAME', 'String'],
    ['DELEGATED_USER_ID', 'Id'],
    ['TIMESTAMP_DERIVED', 'DateTime'],
    ['USER_ID_DERIVED', 'Id'],
    ['CLIENT_IP', 'String'],
    ['URI_ID_DERIVED', 'Id'],
    ['DELEGATED_USER_ID_DERIVED', 'Id'],
  ],
  row(ctx: RowContext): string[] {
    const { rng } = ctx;
    const user = pickUser(ctx);
    const admin = pickUser(ctx);
    const { ts, derived } = timestamps(ctx);
    const target = recordId(rng);
    return [
      'LoginAs',
      ts,
      requestId(rng),
      ctx.org.orgId15,
      user.id15,
      String(duration(rng, 120)),
      String(duration(rng, 30)),
      `/servlet/servlet.su?oid=${ctx.org.orgId15}&suorgadminid=${user.id15}&retURL=%2F${target.slice(0, 15)}`,
      sessionKey(rng),
      sessionKey(rng),
      admin.username,
      admin.id15,
      derived,
      user.id18,
      clientIp(rng),
      target,
      admin.id18,
    ];
  },
};
