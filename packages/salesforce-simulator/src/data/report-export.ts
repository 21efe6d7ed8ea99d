/** `ReportExport` rows: a report exported from the UI; a plausible column set. */
import type { EventSchema, RowContext } from './common';
import { clientIp, HEAD_COLUMNS, pickUser, requestId, timestamps, userAgent } from './common';
import { makeId } from '../ids';

const REPORTS = [
  'Pipeline by Stage, FY26',
  'Accounts with "Key" contacts',
  'Cases closed last week',
  'Leads by source\nincl. web-to-lead',
  'Opportunités gagnées — Q3',
];

/** ReportExport event schema. */
export const reportExportSchema: EventSchema = {
  columns: [
    ...HEAD_COLUMNS,
    ['CLIENT_IP', 'String'],
    ['URI', 'String'],
    ['CLIENT_INFO', 'String'],
    ['REPORT_DESCRIPTION', 'String'],
    ['TIMESTAMP_DERIVED', 'DateTime'],
    ['USER_ID_DERIVED', 'Id'],
    ['URI_ID_DERIVED', 'Id'],
  ],
  row(ctx: RowContext): string[] {
    const { rng } = ctx;
    const user = pickUser(ctx);
    const { ts, derived } = timestamps(ctx);
    const report = makeId('00O', rng);
    return [
      'ReportExport',
      ts,
      requestId(rng),
      ctx.org.orgId15,
      user.id15,
      clientIp(rng),
      `/${report.slice(0, 15)}?export=1&enc=UTF-8&xf=csv`,
      userAgent(rng),
      rng.pick(REPORTS),
      derived,
      user.id18,
      report,
    ];
  },
};
