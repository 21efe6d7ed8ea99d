/** Duration strings of the configuration file. Pure; no Node imports. */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: SECOND, m: MINUTE, h: HOUR, d: DAY };

const COMPACT = /^(-)?((?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+)$/;
const COMPACT_PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const NUM = '(\\d+(?:\\.\\d+)?)';
const ISO = new RegExp(`^(-)?P(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`);

/** How messages describe an accepted duration. */
export const DURATION_FORMS = 'a duration such as 30s, 5m, 72h, 1d, 1h30m or ISO-8601 PT5M';

/**
 * Parses a duration into milliseconds (negative when it starts with `-`): compact forms `250ms`, `30s`, `5m`, `72h`,
 * `1d` and combinations such as `1h30m`, or ISO-8601 durations `PT5M`, `P1DT12H`, `P1W`, `-PT24H`. Years and months
 * are rejected (they have no fixed length). Returns `undefined` for anything else, including a bare number.
 */
export function parseDuration(text: string): number | undefined {
  const compact = COMPACT.exec(text);
  if (compact) {
    let ms = 0;
    for (const part of (compact[2] ?? '').matchAll(COMPACT_PART)) {
      ms += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? NaN);
    }
    return finish(compact[1] === '-', ms);
  }
  const iso = ISO.exec(text);
  if (!iso || text.endsWith('T') || /^-?P$/.test(text)) return undefined;
  const [, sign, weeks, days, hours, minutes, seconds] = iso;
  const ms = num(weeks) * 7 * DAY + num(days) * DAY + num(hours) * HOUR + num(minutes) * MINUTE + num(seconds) * SECOND;
  return finish(sign === '-', ms);
}

function num(value: string | undefined): number {
  return value === undefined ? 0 : Number(value);
}

function finish(negative: boolean, ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) return undefined;
  const rounded = Math.round(ms);
  return negative && rounded !== 0 ? -rounded : rounded;
}
