/** `API` rows (SOAP API calls): a plausible column set; Salesforce documents more columns than shown here. */
import type { EventSchema, RowContext } from './common';
import { clientIp, duration, pickUser, REQUEST_COLUMNS, requestId, sessionKey, timestamps } from './common';

const METHODS = ['query', 'queryMore', 'describeSObjects', 'retrieve', 'update', 'create', 'upsert', 'getUserInfo'];
const ENTITIES = ['Account', 'Contact', 'Opportunity', 'Lead', 'Case', 'User', 'EventLogFile', ''];
const CLIENTS = ['DataLoaderBulkUI/62.0', 'Workbench/', 'elfstream', '', 'MuleSoft, Inc. Connector'];

/** API event schema. */
export const apiSchema: EventSchema = {
  columns: [
    ...REQUEST_COLUMNS,
    ['USER_TYPE', 'String'],
    ['REQUEST_STATUS', 'String'],
    ['DB_TOTAL_TIME', 'Number'],
    ['API_TYPE', 'String'],
    ['API_VERSION', 'String'],
    ['CLIENT_NAME', 'String'],
    ['METHOD_NAME', 'String'],
    ['ENTITY_NAME', 'String'],
    ['ROWS_PROCESSED', 'Number'],
    ['REQUEST_SIZE', 'Number'],
    ['RESPONSE_SIZE', 'Number'],
    ['TIMESTAMP_DERIVED', 'DateTime'],
    ['USER_ID_DERIVED', 'Id'],
    ['CLIENT_IP', 'String'],
    ['URI_ID_DERIVED', 'Id'],
  ],
  row(ctx: RowContext): string[] {
    const { rng } = ctx;
    const user = pickUser(ctx);
    const { ts, derived } = timestamps(ctx);
    const apiType = rng.pick(['E', 'P', 'P', 'R']);
    return [
      'API',
      ts,
      requestId(rng),
      ctx.org.orgId15,
      user.id15,
      String(duration(rng, 60)),
      String(duration(rng, 15)),
      apiType === 'R'
        ? `/services/data/v${ctx.org.apiVersion}/query`
        : `/services/Soap/${apiType === 'E' ? 'c' : 'u'}/${ctx.org.apiVersion}`,
      sessionKey(rng),
      sessionKey(rng),
      user.userType,
      rng.pick(['S', 'S', 'S', 'F']),
      String(duration(rng, 10) * 1_000_000 + rng.int(999_999)),
      apiType,
      rng.pick([ctx.org.apiVersion, '58.0', '61.0']),
      rng.pick(CLIENTS),
      rng.pick(METHODS),
      rng.pick(ENTITIES),
      String(rng.int(2000)),
      String(200 + rng.int(4000)),
      String(200 + rng.int(200_000)),
      derived,
      user.id18,
      clientIp(rng),
      '',
    ];
  },
};
