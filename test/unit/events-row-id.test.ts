import { createRowNormalizer } from '../../src/events/normalize';
import { RowIdGenerator } from '../../src/events/row-id';
import { ORG_ID, contextFor, expectedRowId, fixture, parseAll } from './events-test-helpers';

function idsOf(name: string, eventType: string, fileId = '0AT5j00002LqQTxGAN'): string[] {
  const { header, records } = parseAll(fixture(name));
  const n = createRowNormalizer(contextFor(eventType, { fileId }), header ?? []);
  return records.map(({ row, record }) => {
    const event = JSON.parse(Array.isArray(record) ? n(record, row) : n.malformed(record, row)) as { p_row_id: string };
    return event.p_row_id;
  });
}

describe('p_row_id', () => {
  it('is deterministic across runs', () => {
    expect(idsOf('login.csv', 'Login')).toEqual(idsOf('login.csv', 'Login'));
    expect(idsOf('malformed-middle.csv', 'Logout')).toEqual(idsOf('malformed-middle.csv', 'Logout'));
  });

  it('numbers identical rows by occurrence (adjacent or within the window)', () => {
    const row = ['URI', '20231218130000.000', 'TIDdup', '0055j00000AT7K2', '/aura'];
    const other = ['URI', '20231218130000.001', 'TIDother', '0055j00000AT7K2', '/aura'];
    const ids = idsOf('duplicates.csv', 'URI');
    expect(ids).toEqual([
      expectedRowId(ORG_ID, 'URI', row, 0),
      expectedRowId(ORG_ID, 'URI', row, 1),
      expectedRowId(ORG_ID, 'URI', other, 0),
      expectedRowId(ORG_ID, 'URI', row, 2),
    ]);
    expect(new Set(ids).size).toBe(4);
  });

  it('gives the same row the same id in another file of the same org and type (a late Sequence file)', () => {
    const first = idsOf('login.csv', 'Login', '0AT000000000001');
    const late = idsOf('login.csv', 'Login', '0AT000000000002');
    expect(late).toEqual(first);
    expect(idsOf('login.csv', 'LoginAs')).not.toEqual(first); // the type is part of the id
  });

  it('counts occurrences only within the window: identical rows farther apart share an id', () => {
    const gen = new RowIdGenerator(ORG_ID, 'URI', 3);
    const a = ['a'];
    const ids = [a, ['b'], ['c'], ['d'], a].map((v) => gen.forValues(v));
    expect(ids[4]).toBe(ids[0]); // 4 rows apart > window of 3
    const chained = new RowIdGenerator(ORG_ID, 'URI', 2);
    const run = Array.from({ length: 6 }, () => chained.forValues(a));
    expect(new Set(run).size).toBe(6); // a long run of identical rows keeps counting
    expect(run[5]).toBe(expectedRowId(ORG_ID, 'URI', a, 5));
  });

  it('matches a naive reference on a long file with repeats', () => {
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const rows = Array.from({ length: 30_000 }, (_, i) => [
      String(Math.floor(rnd() * 400) + Math.floor(i / 700) * 1000),
    ]);
    const window = 500;
    const reference: string[] = [];
    const last = new Map<string, { occ: number; at: number }>();
    rows.forEach((v, i) => {
      const key = v.join('\0');
      const prev = last.get(key);
      const occ = prev !== undefined && prev.at > i - window - 1 ? prev.occ + 1 : 0;
      last.set(key, { occ, at: i });
      reference.push(expectedRowId(ORG_ID, 'URI', v, occ));
    });
    const gen = new RowIdGenerator(ORG_ID, 'URI', window);
    expect(rows.map((v) => gen.forValues(v))).toEqual(reference);
  });
});
