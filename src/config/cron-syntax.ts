/**
 * Syntax check of 5-field cron expressions (minute hour day-of-month month day-of-week, UTC). Only validates:
 * evaluating a schedule is workflow code's job. Pure; no Node imports, so workflow code may use it too.
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
