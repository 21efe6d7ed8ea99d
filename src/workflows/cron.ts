/**
 * 5-field cron (minute hour day-of-month month day-of-week), evaluated in UTC: the one cron module, used by the
 * configuration loader (syntax, and whether a schedule ever fires) and by the source workflow (its next tick). Pure
 * and deterministic; no Node imports, so workflow code may use it.
 *
 * Accepted per field: `*`, a number, a range `a-b`, a step `*\/n`, `a-b/n` or `a/n` (from `a` to the field's
 * maximum), and comma-separated lists of those. Numbers only (no month or weekday names, no `?`, `L`, `W`, `#`).
 */

/** One field of a cron expression and its allowed values. */
export interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
}

/** The five fields in order. Day-of-week 0 and 7 are both Sunday. */
export const CRON_FIELDS: readonly CronField[] = Object.freeze([
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 7 },
]);

const NUMBER = /^\d+$/;

/**
 * Checks `expression`. Returns `undefined` when it is a valid 5-field cron expression, else a message that starts
 * with the quoted expression, e.g. `"*\/15 * * *" is not a 5-field cron expression (minute hour day-of-month month
 * day-of-week)`.
 */
export function checkCronSyntax(expression: string): string | undefined {
  const quoted = JSON.stringify(expression);
  const fields = expression
    .trim()
    .split(/\s+/)
    .filter((f) => f !== '');
  if (fields.length === 1 && fields[0]?.startsWith('@')) {
    return `${quoted} is a cron macro; macros are not supported, write the 5 fields (e.g. "0 * * * *" for hourly)`;
  }
  if (fields.length !== CRON_FIELDS.length) {
    return `${quoted} is not a 5-field cron expression (minute hour day-of-month month day-of-week)`;
  }
  for (let i = 0; i < CRON_FIELDS.length; i++) {
    const spec = CRON_FIELDS[i];
    const text = fields[i];
    if (spec === undefined || text === undefined) continue;
    const problem = checkField(text, spec);
    if (problem !== undefined) return `${quoted} is not a valid cron expression: ${problem}`;
  }
  return undefined;
}

function checkField(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const problem = checkItem(item, field);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkItem(item: string, field: CronField): string | undefined {
  const range = `${field.min}-${field.max}`;
  const [base = '', step, extra] = item.split('/');
  if (extra !== undefined || base === '') return malformed(item, field);
  if (step !== undefined) {
    if (!NUMBER.test(step) || Number(step) < 1) return `${field.name} step "${step}" must be a positive integer`;
    if (Number(step) > field.max) return `${field.name} step ${step} is larger than ${field.max}`;
  }
  if (base === '*') return undefined;
  const [from = '', to, more] = base.split('-');
  if (more !== undefined || !NUMBER.test(from) || (to !== undefined && !NUMBER.test(to))) {
    return malformed(item, field);
  }
  for (const n of to === undefined ? [from] : [from, to]) {
    if (Number(n) < field.min || Number(n) > field.max) return `${field.name} ${n} is out of range ${range}`;
  }
  if (to !== undefined && Number(from) > Number(to)) return `${field.name} range ${base} runs backwards`;
  return undefined;
}

function malformed(item: string, field: CronField): string {
  return `${field.name} "${item}" is not a number, *, a range (a-b), a step (*/n, a-b/n) or a list of those`;
}

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Standard cron: when both day fields are restricted, a day matches if either does. */
  dayOrWeekday: boolean;
}

/** The values a field allows; the expression was checked by {@link checkCronSyntax} first. */
function fieldValues(text: string, { min, max }: CronField): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [base = '*', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [from, to] = base === '*' ? [min, max] : base.split('-').map(Number);
    const lo = from ?? min;
    const hi = to ?? (stepText !== undefined ? max : lo);
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

function parseCron(expression: string): CronFields {
  const problem = checkCronSyntax(expression);
  if (problem !== undefined) throw new Error(problem);
  const parts = expression.trim().split(/\s+/);
  const [minutes, hours, days, months, weekdaysRaw] = parts.map((p, i) => fieldValues(p, CRON_FIELDS[i]!));
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
  const limit = afterMs + NEVER_HORIZON_MS;
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

/** How far ahead a schedule must fire at least once: five years covers every valid expression (Feb 29 recurs). */
const NEVER_HORIZON_MS = 5 * 366 * 24 * 3600_000;

/**
 * What keeps `expression` from being a usable schedule: a syntax problem, or a schedule that never fires (such as
 * `0 0 31 2 *`, February 31st). Undefined when it is usable.
 */
export function cronProblem(expression: string): string | undefined {
  const syntax = checkCronSyntax(expression);
  if (syntax !== undefined) return syntax;
  try {
    nextCronTick(expression, 0);
    return undefined;
  } catch {
    return `${JSON.stringify(expression)} never fires (no date matches its day-of-month, month and day-of-week fields)`;
  }
}
