/**
 * Secret settings in the schema: each secret `x` may be given inline (usually as `${VAR}`) or as `xFile`, a file
 * holding it, read relative to the configuration file's folder.
 */
import type { z } from 'zod';
import { checkSecret, readSecretFile } from './secrets';
import type { ReadFile, SecretKey } from './secrets';
import { isPlainObject } from './interpolate';
import { text } from './schema-fields';

/** What the schema needs to read secret files. */
export interface SecretContext {
  /** Folder of the configuration file: relative `*File` paths are resolved from here. */
  baseDir: string;
  readFile: ReadFile;
  /** Told every secret read from a file, so that messages can be scrubbed of it as a last line of defense. */
  onSecret?: (value: string) => void;
}

/** The two schema keys of a secret: inline `key` and `keyFile`. */
export function secretKeys<K extends SecretKey>(key: K, what: string) {
  return {
    [key]: text(what, { secret: true, allowEmpty: true }).optional(),
    [`${key}File`]: text(`a file holding ${what}`).optional(),
  } as Record<K | `${K}File`, z.ZodOptional<z.ZodString>>;
}

/**
 * Checks the secret `key` of the mapping `value`: at most one of `key` and `keyFile` is set, one is when `required`,
 * and an inline value is acceptable. Runs on raw input too, so that these problems are reported together with
 * every other one. (Files are read later, by {@link resolveSecret}.)
 */
export function checkSecretFields(
  value: unknown,
  key: SecretKey,
  what: string,
  required: boolean,
  ctx: z.RefinementCtx,
): void {
  if (!isPlainObject(value)) return;
  const inline = value[key];
  const hasFile = value[`${key}File`] !== undefined;
  if (inline !== undefined && hasFile) {
    ctx.addIssue({
      code: 'custom',
      path: [`${key}File`],
      message: `cannot be used together with ${key}; set one of them`,
      input: undefined,
    });
  } else if (required && inline === undefined && !hasFile) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `is required; expected ${what} (or ${key}File: a file holding it)`,
      input: undefined,
    });
  } else if (typeof inline === 'string') {
    const checked = checkSecret(key, inline);
    if (checked.problem !== undefined) {
      ctx.addIssue({ code: 'custom', path: [key], message: checked.problem, input: undefined });
    }
  }
}

/**
 * The secret `key` of a validated mapping: its inline value, or the content of its `keyFile`, checked. Returns
 * `undefined` when neither is set or after reporting a problem (which never quotes the secret).
 */
export function resolveSecret(
  value: Readonly<Record<string, unknown>>,
  key: SecretKey,
  secrets: SecretContext,
  ctx: z.RefinementCtx,
): string | undefined {
  const fileKey = `${key}File`;
  const inline = value[key];
  const file = value[fileKey];
  if (typeof inline === 'string') {
    const checked = checkSecret(key, inline);
    if (checked.problem === undefined) return checked.value;
    ctx.addIssue({ code: 'custom', path: [key], message: checked.problem, input: undefined });
    return undefined;
  }
  if (typeof file !== 'string') return undefined;
  const read = readSecretFile(file, secrets.baseDir, secrets.readFile);
  if (read.error !== undefined) {
    ctx.addIssue({ code: 'custom', path: [fileKey], message: read.error, input: undefined });
    return undefined;
  }
  secrets.onSecret?.(read.value);
  const checked = checkSecret(key, read.value);
  if (checked.problem === undefined) return checked.value;
  ctx.addIssue({
    code: 'custom',
    path: [fileKey],
    message: `the secret in ${JSON.stringify(file)} ${checked.problem}`,
    input: undefined,
  });
  return undefined;
}
