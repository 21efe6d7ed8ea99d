/** `${VAR}` references to the environment inside configuration values. Pure; no Node imports. */
import type { KeyPath } from './errors';

/** The environment to read variables from (e.g. `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/** A reference that could not be resolved, at the key path of the value holding it. */
export interface InterpolationIssue {
  path: KeyPath;
  message: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPE_HINT = 'write "$${" for a literal "${"';

/**
 * Replaces each `${NAME}` in `text` with the value of environment variable `NAME`; `$${` stands for a literal `${`.
 * A variable that is set to the empty string counts as set. Values from the environment are not interpolated again.
 * Returns the result (missing variables replaced by nothing) and one message per problem. With `secret`, messages
 * never quote the text.
 */
export function interpolateString(text: string, env: Env, secret = false): { value: string; problems: string[] } {
  const problems: string[] = [];
  let value = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      value += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      value += text[i] ?? '';
      i += 1;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) {
      problems.push(`"\${" is not closed by "}" (${ESCAPE_HINT})`);
      value += text.slice(i);
      break;
    }
    const name = text.slice(i + 2, close);
    if (!NAME.test(name)) {
      const what = secret ? 'a "${...}" reference' : JSON.stringify(`\${${name}}`);
      problems.push(
        `${what} does not name an environment variable (letters, digits and _, not starting with a digit; ${ESCAPE_HINT})`,
      );
    } else {
      const found = env[name];
      if (found === undefined) problems.push(`environment variable ${name} is not set`);
      else value += found;
    }
    i = close + 1;
  }
  return { value, problems };
}

/**
 * Interpolates every string value (not keys) in a parsed YAML tree. `isSecret(path)` says which values must never be
 * quoted in messages. Returns a new tree and the problems found, each at the key path of its value.
 */
export function interpolateTree(
  tree: unknown,
  env: Env,
  isSecret: (path: KeyPath) => boolean = () => false,
): { value: unknown; issues: InterpolationIssue[] } {
  const issues: InterpolationIssue[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      const { value, problems } = interpolateString(node, env, isSecret(path));
      for (const message of problems) issues.push({ path, message });
      return value;
    }
    if (Array.isArray(node)) return node.map((item: unknown, index) => walk(item, [...path, index]));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        // defineProperty: a `__proto__` key stays a plain (unknown, reported) key instead of changing the prototype.
        Object.defineProperty(out, key, {
          value: walk(item, [...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return node;
  };
  return { value: walk(tree, []), issues };
}

/** Whether `value` is a mapping parsed from YAML (not an array, null, Date, ...). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
