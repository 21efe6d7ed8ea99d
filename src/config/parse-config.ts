/** `parseConfig`: from the text of `elfstream.yaml` to the resolved, validated configuration. */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { applyTemporalEnv } from './env-overrides';
import { ConfigError, formatKeyPath } from './errors';
import type { ConfigIssue, KeyPath } from './errors';
import { interpolateTree, isPlainObject } from './interpolate';
import type { Env } from './interpolate';
import { createConfigSchema } from './schema';
import { isSecretPath } from './secrets';
import type { ReadFile } from './secrets';
import type { ElfstreamConfig } from './types';
import { readYaml } from './yaml-document';

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /**
   * The file the text comes from, as it should appear in messages (relative if given relative); it becomes
   * `configPath`. Relative paths in the file (output dir, `*File` secrets, TLS files) resolve against its folder.
   */
  path: string;
  /** Environment for `${VAR}` and the TEMPORAL_* overrides. Default: none (an empty environment). */
  env?: Env;
  /** Folder a relative `path` is relative to. Default: `process.cwd()`. */
  cwd?: string;
  /** Reads secret files. Default: `fs.readFileSync`. */
  readFile?: ReadFile;
}

/**
 * Parses and validates the text of a configuration file: YAML, then `${VAR}` interpolation from `options.env`,
 * then the schema (defaults, `*File` secrets, durations, paths), then the TEMPORAL_* environment overrides. Reads
 * nothing but secret files, and those only through `options.readFile`.
 *
 * @throws {@link ConfigError} listing every problem found, never quoting a secret.
 */
export function parseConfig(text: string, options: ParseConfigOptions): ElfstreamConfig {
  const env = options.env ?? {};
  const cwd = options.cwd ?? process.cwd();
  const baseDir = path.resolve(cwd, path.dirname(options.path));
  const secrets = new Set<string>();
  const fail = (issues: ConfigIssue[]): never => {
    throw new ConfigError(options.path, redact(issues, secrets));
  };

  const yaml = readYaml(text);
  if (yaml.issues) return fail(yaml.issues);

  const interpolated = interpolateTree(yaml.data, env, isSecretPath);
  collectSecrets(interpolated.value, [], secrets);
  const schema = createConfigSchema({
    baseDir,
    readFile: options.readFile ?? ((file) => fs.readFileSync(file)),
    onSecret: (value) => secrets.add(value),
  });
  const result = schema.safeParse(interpolated.value);

  const interpolationIssues = interpolated.issues.map((i) => ({ path: formatKeyPath(i.path), message: i.message }));
  const schemaIssues = result.success ? [] : result.error.issues.map(toConfigIssue);
  // A value whose ${VAR} failed was replaced by nothing: what the schema says about it would only be noise.
  const broken = interpolationIssues.map((i) => i.path);
  const issues = [...interpolationIssues, ...schemaIssues.filter((i) => !broken.some((b) => isAtOrUnder(i.path, b)))];
  if (issues.length > 0 || !result.success) return fail(inDocumentOrder(issues, interpolated.value));

  const overridden = applyTemporalEnv(result.data.temporal, env, cwd);
  if (overridden.issues.length > 0) return fail(overridden.issues);
  return { configPath: options.path, ...result.data, temporal: overridden.temporal };
}

function toConfigIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const keyPath = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  return { path: formatKeyPath(keyPath), message: issue.message };
}

function isAtOrUnder(candidate: string, root: string): boolean {
  return candidate === root || candidate.startsWith(`${root}.`) || candidate.startsWith(`${root}[`);
}

/** Adds every secret value of the tree to `out` (so that no message can carry one, whatever goes wrong). */
function collectSecrets(node: unknown, at: (string | number)[], out: Set<string>): void {
  if (typeof node === 'string' && isSecretPath(at)) out.add(node);
  else if (Array.isArray(node)) node.forEach((item: unknown, i) => collectSecrets(item, [...at, i], out));
  else if (isPlainObject(node)) for (const [key, item] of Object.entries(node)) collectSecrets(item, [...at, key], out);
}

const MIN_REDACTED_LENGTH = 4;

function redact(issues: ConfigIssue[], secrets: ReadonlySet<string>): ConfigIssue[] {
  // Longest first, so that a secret containing another is replaced whole.
  const values = [...secrets].filter((s) => s.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
  if (values.length === 0) return issues;
  return issues.map((issue) => ({
    path: issue.path,
    message: values.reduce((message, secret) => message.split(secret).join('[secret]'), issue.message),
  }));
}

/** Sorts issues by where their key path appears in the document (the nearest existing parent for missing keys). */
function inDocumentOrder(issues: ConfigIssue[], tree: unknown): ConfigIssue[] {
  const order = new Map<string, number>();
  const walk = (node: unknown, at: KeyPath): void => {
    order.set(formatKeyPath(at), order.size);
    if (Array.isArray(node)) node.forEach((item: unknown, i) => walk(item, [...at, i]));
    else if (isPlainObject(node)) for (const [key, item] of Object.entries(node)) walk(item, [...at, key]);
  };
  walk(tree, []);
  const rank = (issuePath: string): number => {
    let best = -1;
    let bestLength = -1;
    for (const [known, index] of order) {
      const matches = known === '(root)' || isAtOrUnder(issuePath, known);
      if (matches && known.length > bestLength) {
        best = index;
        bestLength = known.length;
      }
    }
    return best;
  };
  return issues
    .map((issue, i) => ({ issue, i, rank: rank(issue.path) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((entry) => entry.issue);
}
