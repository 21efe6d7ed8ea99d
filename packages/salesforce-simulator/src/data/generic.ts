/** Rows for event types without a dedicated generator: the columns most ELF types share. */
import type { EventSchema, RowContext } from './common';
import { clientIp, duration, pickUser, REQUEST_COLUMNS, requestId, sessionKey, timestamps } from './common';

/** A schema for `eventType` with the common request columns. */
export function genericSchema(eventType: string): EventSchema {
  return {
    columns: [
      ...REQUEST_COLUMNS,
      ['USER_TYPE', 'String'],
      ['REQUEST_STATUS', 'String'],
      ['DB_TOTAL_TIME', 'Number'],
      ['TIMESTAMP_DERIVED', 'DateTime'],
      ['USER_ID_DERIVED', 'Id'],
      ['CLIENT_IP', 'String'],
      ['URI_ID_DERIVED', 'Id'],
    ],
    row(ctx: RowContext): string[] {
      const { rng } = ctx;
      const user = pickUser(ctx);
      const { ts, derived } = timestamps(ctx);
      return [
        eventType,
        ts,
        requestId(rng),
        ctx.org.orgId15,
        user.id15,
        String(duration(rng, 80)),
        String(duration(rng, 20)),
        rng.pick(['/aura', '/apexremote', '/services/data/v62.0/query', '']),
        sessionKey(rng),
        sessionKey(rng),
        rng.pick(['S', 'S', 'X', 'A']),
        rng.pick(['S', 'S', 'S', 'F', '']),
        String(duration(rng, 10) * 1_000_000 + rng.int(999_999)),
        derived,
        user.id18,
        clientIp(rng),
        '',
      ];
    },
  };
}
