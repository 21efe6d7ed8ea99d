/** `URI` rows (Classic page views); Panther's later column order, with USER_TYPE last. */
import type { EventSchema, RowContext } from './common';
import { clientIp, duration, pickUser, recordId, REQUEST_COLUMNS, requestId, sessionKey, timestamps } from './common';

const PAGES: readonly ((id: string) => string)[] = [
  () => '/home/home.jsp',
  (id) => `/${id.slice(0, 15)}`,
  (id) => `/${id.slice(0, 15)}/e?retURL=%2F${id.slice(0, 15)}`,
  () => '/_ui/common/data/LookupPage?lkfm=editPage&lknm=acc,opp&lktp=001',
  // A value with commas and doubled quotes inside the quoted CSV field.
  () => '/_ui/search/ui/UnifiedSearchResults?str="acme, inc"&searchType=2',
  () => '/apex/ReportsHome?sort=desc,name',
  () => '/setup/forcecomHomepage.apexp?setupid=ForceCom',
];

/** URI event schema. */
export const uriSchema: EventSchema = {
  columns: [
    ...REQUEST_COLUMNS,
    ['REQUEST_STATUS', 'String'],
    ['DB_TOTAL_TIME', 'Number'],
    ['DB_BLOCKS', 'Number'],
    ['DB_CPU_TIME', 'Number'],
    ['REFERRER_URI', 'String'],
    ['TIMESTAMP_DERIVED', 'DateTime'],
    ['USER_ID_DERIVED', 'Id'],
    ['CLIENT_IP', 'String'],
    ['URI_ID_DERIVED', 'Id'],
    ['USER_TYPE', 'String'],
  ],
  row(ctx: RowContext): string[] {
    const { rng } = ctx;
    const user = pickUser(ctx);
    const { ts, derived } = timestamps(ctx);
    const target = recordId(rng);
    const page = rng.pick(PAGES)(target);
    const refersToRecord = page.startsWith(`/${target.slice(0, 15)}`);
    const referrer = rng.chance(0.3) ? '' : `https://${ctx.org.domain}/home/home.jsp`;
    return [
      'URI',
      ts,
      requestId(rng),
      ctx.org.orgId15,
      user.id15,
      String(duration(rng, 90)),
      String(duration(rng, 25)),
      page,
      sessionKey(rng),
      sessionKey(rng),
      rng.pick(['S', 'S', 'S', 'S', 'F', 'R', 'N']),
      String(duration(rng, 20) * 1_000_000 + rng.int(999_999)),
      String(rng.int(2000)),
      String(duration(rng, 10)),
      referrer,
      derived,
      user.id18,
      clientIp(rng),
      refersToRecord ? target : '',
      user.userType === 'Guest' ? 'G' : rng.pick(['S', 'S', 'S', 'X']),
    ];
  },
};
