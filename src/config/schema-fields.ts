/**
 * Building blocks of the configuration schema: field types whose error messages say what is expected, never quote a
 * secret, report unknown keys with a "did you mean", and tell which variant a misplaced key belongs to.
 */
import { z } from 'zod';
import { didYouMean } from './did-you-mean';
import type { Parsed } from './formats';
import { isPlainObject } from './interpolate';

/** Describes a value for "got ..." in messages; with `secret`, only its kind. */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (value === '') return 'an empty string';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a mapping';
  if (secret) return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  return String(value);
}

/** A zod error map: `is required; expected <what>` for a missing value, else `expected <what>, got <value>`. */
export function expecting(what: string, secret = false): (issue: { input?: unknown }) => string {
  return (issue) =>
    issue.input === undefined
      ? `is required; expected ${what}`
      : `expected ${what}, got ${describeValue(issue.input, secret)}`;
}

/** A string; non-empty unless `allowEmpty`. With `secret`, messages never quote the value. */
export function text(what: string, options: { secret?: boolean; allowEmpty?: boolean } = {}) {
  const schema = z.string({ error: expecting(what, options.secret) });
  return options.allowEmpty ? schema : schema.min(1);
}

// Values that come from `${VAR}` are strings; numbers and booleans written that way are accepted.
const fromNumericString = (v: unknown): unknown => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
const fromBooleanString = (v: unknown): unknown => (v === 'true' ? true : v === 'false' ? false : v);

/** An integer from `min` to `max`. */
export function integer(min: number, max: number) {
  const what = `an integer from ${min} to ${max}`;
  return z.preprocess(
    fromNumericString,
    z
      .number({ error: expecting(what) })
      .int()
      .min(min)
      .max(max),
  );
}

/** A number from `min` to `max`. */
export function decimal(min: number, max: number) {
  const what = `a number from ${min} to ${max}`;
  return z.preprocess(
    fromNumericString,
    z
      .number({ error: expecting(what) })
      .min(min)
      .max(max),
  );
}

/** true or false. */
export function bool() {
  return z.preprocess(fromBooleanString, z.boolean({ error: expecting('true or false') }));
}

/** The message for a value that is not one of `values`: `"x" is not one of a, b (did you mean "a"?)`. */
export function notOneOf(values: readonly string[], input: unknown): string {
  const list = values.join(', ');
  if (input === undefined) return `is required; expected one of ${list}`;
  if (typeof input !== 'string') return `expected one of ${list}, got ${describeValue(input)}`;
  return `${JSON.stringify(input)} is not one of ${list}${didYouMean(input, values)}`;
}

/** Exactly one of `values` (case-sensitive), with a "did you mean" for near misses. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: (issue) => notOneOf(values, issue.input) });
}

/** A string checked and normalized by `parse`, whose messages are used as they are. */
export function formatted<T>(what: string, parse: (text: string) => Parsed<T>) {
  return z.string({ error: expecting(what) }).transform((value, ctx): T => {
    const result = parse(value);
    if (result.ok) return result.value;
    ctx.issues.push({ code: 'custom', message: result.message, input: value });
    return z.NEVER;
  });
}

/** Options of {@link closedObject}. */
export interface ClosedObjectOptions {
  /** Explains a key that is not allowed here but is elsewhere (e.g. in another auth type). */
  misplaced?: (key: string) => string | undefined;
  /** Keys that belong in another mapping, and that mapping (e.g. `apiVersion` -> `the salesforce mapping`). */
  elsewhere?: Readonly<Record<string, string>>;
}

/**
 * A mapping with exactly the keys of `shape`: each other key is reported at its own path as `unknown key`, with a
 * "did you mean" when a known key is close, or where it belongs when it is a key of a nearby mapping. Unknown keys
 * are reported even when other keys are invalid.
 */
export function closedObject<S extends z.core.$ZodLooseShape>(
  shape: S,
  what: string,
  options: ClosedObjectOptions = {},
) {
  const known = Object.keys(shape);
  return z.looseObject(shape, { error: expecting(what) }).superRefine(
    (value, ctx) => {
      if (!isPlainObject(value)) return;
      for (const key of Object.keys(value)) {
        if (known.includes(key)) continue;
        const where = Object.hasOwn(options.elsewhere ?? {}, key) ? options.elsewhere?.[key] : undefined;
        const message =
          options.misplaced?.(key) ??
          (where === undefined ? `unknown key${didYouMean(key, known)}` : `unknown key (${key} belongs in ${where})`);
        ctx.addIssue({ code: 'custom', path: [key], message, input: undefined });
      }
    },
    { when: () => true },
  );
}

/** Treats an empty YAML value (`key:` with nothing after it) as an absent one. */
export function nullAsAbsent<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema);
}

/** `elsewhere` entries saying that each of `keys` belongs in `where`. */
export function belongIn(where: string, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, where]));
}

/**
 * For the variants of a mapping told apart by `type` (variant name -> its keys): `misplaced` options that report a
 * key of another variant as `is not used by <what> type "x" (only by y, z)`.
 */
export function misplacedKeys(what: string, variants: Readonly<Record<string, readonly string[]>>) {
  const types = Object.keys(variants);
  return (type: string): ClosedObjectOptions => ({
    misplaced: (key) => {
      const users = types.filter((t) => t !== type && variants[t]?.includes(key));
      return users.length === 0 ? undefined : `is not used by ${what} type "${type}" (only by ${users.join(', ')})`;
    },
  });
}

/** The error map of a `z.discriminatedUnion('type', ...)` over `types`: a bad or missing `type`, or not a mapping. */
export function typeErrors(types: readonly string[]): (issue: { code?: string; input?: unknown }) => string {
  return (issue) =>
    issue.code === 'invalid_union'
      ? notOneOf(types, isPlainObject(issue.input) ? issue.input.type : undefined)
      : expecting(`a mapping with a type (${types.join(', ')})`)(issue);
}

/** Gives a mapping without a `type` key the type `fallback`. */
export function withDefaultType<T extends z.ZodType>(fallback: string, schema: T) {
  return z.preprocess((v) => (isPlainObject(v) && !('type' in v) ? { ...v, type: fallback } : v), schema);
}

/** `true`, `false`, or a mapping checked by `schema` (whose issues keep their key paths). */
export function booleanOr<T extends z.ZodType>(schema: T, what: string) {
  return z.unknown().transform((input, ctx): boolean | z.output<T> => {
    const value = fromBooleanString(input);
    if (typeof value === 'boolean') return value;
    if (!isPlainObject(value)) {
      ctx.addIssue({ code: 'custom', message: expecting(what)({ input }), input });
      return z.NEVER;
    }
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message, input: undefined });
    }
    return z.NEVER;
  });
}
