/**
 * Relative date literals. Each denotes a range [start, end) of UTC days (the simulated user's time zone is GMT):
 * `=` matches inside the range, `<` before its start, `>` after its end, `<=` before its end, `>=` from its start.
 * Note the documented consequence: `CreatedDate > LAST_N_DAYS:2` matches only instants after today.
 */
import { DAY, floorDay } from './time-format';

/** A resolved relative literal. */
export interface DateRange {
  start: number;
  end: number;
}

const FIXED: Record<string, (today: number) => DateRange> = {
  TODAY: (t) => ({ start: t, end: t + DAY }),
  YESTERDAY: (t) => ({ start: t - DAY, end: t }),
  TOMORROW: (t) => ({ start: t + DAY, end: t + 2 * DAY }),
  LAST_90_DAYS: (t) => ({ start: t - 90 * DAY, end: t + DAY }),
  NEXT_90_DAYS: (t) => ({ start: t + DAY, end: t + 91 * DAY }),
};

const WITH_N: Record<string, (today: number, n: number) => DateRange> = {
  // Starts n days ago and includes today (n + 1 days in all).
  LAST_N_DAYS: (t, n) => ({ start: t - n * DAY, end: t + DAY }),
  NEXT_N_DAYS: (t, n) => ({ start: t + DAY, end: t + (n + 1) * DAY }),
  N_DAYS_AGO: (t, n) => ({ start: t - n * DAY, end: t - (n - 1) * DAY }),
};

/** Whether `name` (any case) is a relative literal taking `:n`. */
export function takesN(name: string): boolean {
  return name.toUpperCase() in WITH_N;
}

/** The range of a relative literal at `nowMs`, or undefined when the name is not one this simulator knows. */
export function relativeRange(name: string, nowMs: number, n?: number): DateRange | undefined {
  const upper = name.toUpperCase();
  const today = floorDay(nowMs);
  if (n === undefined) return FIXED[upper]?.(today);
  return WITH_N[upper]?.(today, n);
}
