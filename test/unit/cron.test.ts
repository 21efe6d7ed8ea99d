import { nextCronTick } from '../../src/workflows/cron';

const at = (iso: string): number => Date.parse(iso);
const next = (expr: string, iso: string): string => new Date(nextCronTick(expr, at(iso))).toISOString();

describe('nextCronTick (UTC)', () => {
  it.each([
    ['*/15 * * * *', '2026-11-28T10:07:30Z', '2026-11-28T10:15:00.000Z'],
    ['*/15 * * * *', '2026-11-28T10:15:00Z', '2026-11-28T10:30:00.000Z'],
    ['*/15 * * * *', '2026-11-28T23:59:00Z', '2026-11-29T00:00:00.000Z'],
    ['0 * * * *', '2026-11-28T10:00:00Z', '2026-11-28T11:00:00.000Z'],
    ['5 3 * * *', '2026-11-28T10:00:00Z', '2026-11-29T03:05:00.000Z'],
    ['0 0 1 * *', '2026-12-15T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['0 12 * * 1-5', '2026-11-28T13:00:00Z', '2026-11-30T12:00:00.000Z'], // Saturday -> Monday
    ['0 0 * * 7', '2026-11-28T13:00:00Z', '2026-11-29T00:00:00.000Z'], // 7 = Sunday
    ['0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 0 13 * 5', '2026-11-28T00:00:00Z', '2026-12-04T00:00:00.000Z'], // day 13 OR Friday
    ['1,2,30-31 * * * *', '2026-11-28T10:02:00Z', '2026-11-28T10:30:00.000Z'],
  ])('%s after %s is %s', (expr, after, expected) => {
    expect(next(expr, after)).toBe(expected);
  });

  it.each([['* * * *'], ['60 * * * *'], ['*/0 * * * *'], ['a * * * *'], ['0 0 31 2 *']])('rejects %s', (expr) => {
    expect(() => nextCronTick(expr, 0)).toThrow();
  });
});
