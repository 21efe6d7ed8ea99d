/**
 * 5-field cron (minute hour day-of-month month day-of-week), evaluated in UTC. Pure and deterministic, so the
 * source workflow computes its next tick in workflow time without a timer service.
 */

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Standard cron: when both day fields are restricted, a day matches if either does. */
  dayOrWeekday: boolean;
}

const RANGES: [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(text: string, [min, max]: [number, number], name: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${name} field "${text}" is not valid`);
    const step = m[4] ? Number(m[4]) : 1;
    let lo = min;
    let hi = max;
    if (m[1] !== '*') {
      lo = Number(m[2]);
      hi = m[3] !== undefined ? Number(m[3]) : m[4] ? max : lo;
    }
    if (lo < min || hi > max || lo > hi || step < 1) throw new Error(`cron ${name} field "${text}" is out of range`);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

export function parseCron(expression: string): CronFields {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`"${expression}" is not a 5-field cron expression`);
  const names = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];
  const [minutes, hours, days, months, weekdaysRaw] = parts.map((p, i) => parseField(p, RANGES[i]!, names[i]!));
  const weekdays = new Set([...weekdaysRaw!].map((d) => d % 7));
  return {
    minutes: minutes!,
    hours: hours!,
    days: days!,
    months: months!,
    weekdays,
    dayOrWeekday: parts[2] !== '*' && parts[4] !== '*',
  };
}

function dayMatches(f: CronFields, d: Date): boolean {
  const dom = f.days.has(d.getUTCDate());
  const dow = f.weekdays.has(d.getUTCDay());
  return f.dayOrWeekday ? dom || dow : dom && dow;
}

/** The first instant strictly after `afterMs` (epoch ms) that the expression matches, in epoch ms. */
export function nextCronTick(expression: string, afterMs: number): number {
  const f = parseCron(expression);
  const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
  // Five years covers every valid expression (Feb 29 on a given weekday recurs within that).
  const limit = afterMs + 5 * 366 * 24 * 3600_000;
  while (d.getTime() <= limit) {
    if (!f.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(f, d)) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!f.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!f.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return d.getTime();
  }
  throw new Error(`cron "${expression}" never matches`);
}
