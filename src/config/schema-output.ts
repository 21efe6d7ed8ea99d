/** Schema of the `output` mapping: where normalized events go (file, stdout or http). */
import path from 'node:path';
import { z } from 'zod';
import { CONFIG_DEFAULTS } from './defaults';
import { parseFileMode, parseHttpUrl } from './formats';
import { isPlainObject } from './interpolate';
import {
  bool,
  closedObject,
  expecting,
  formatted,
  integer,
  misplacedKeys,
  nullAsAbsent,
  oneOf,
  text,
  typeErrors,
  withDefaultType,
} from './schema-fields';
import { checkSecretFields, resolveSecret, secretKeys } from './secret-fields';
import type { SecretContext } from './secret-fields';
import type { OutputConfig } from './types';

/** The keys of each output type. */
export const OUTPUT_KEYS = {
  file: ['type', 'dir', 'gzip', 'fileMode', 'dirMode'],
  stdout: ['type'],
  http: [
    'type',
    'url',
    'format',
    'authorization',
    'authorizationFile',
    'gzip',
    'batchSize',
    'headers',
    'allowInsecure',
  ],
} as const satisfies Record<OutputConfig['type'], readonly string[]>;

const OUTPUT_TYPES = Object.keys(OUTPUT_KEYS) as OutputConfig['type'][];
const AUTHORIZATION = 'the Authorization header value (e.g. "Splunk <token>")';
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const misplaced = misplacedKeys('output', OUTPUT_KEYS);
const what = 'an output mapping';

/** Checks header names and values (values may be secrets: never quoted). */
function checkHeaders(value: unknown, ctx: z.RefinementCtx): void {
  if (!isPlainObject(value) || !isPlainObject(value.headers)) return;
  const hasAuthorization = value.authorization !== undefined || value.authorizationFile !== undefined;
  for (const [name, headerValue] of Object.entries(value.headers)) {
    const at = ['headers', name];
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({ code: 'custom', path: at, message: 'is not a valid HTTP header name', input: undefined });
    } else if (hasAuthorization && name.toLowerCase() === 'authorization') {
      ctx.addIssue({
        code: 'custom',
        path: at,
        message: 'cannot be used together with authorization or authorizationFile; set one of them',
        input: undefined,
      });
    }
    if (typeof headerValue === 'string' && /[\r\n\0]/.test(headerValue)) {
      ctx.addIssue({ code: 'custom', path: at, message: 'must not contain line breaks', input: undefined });
    }
  }
}

/**
 * Refuses credentials sent in clear text: an `http://` URL with an Authorization header (from `authorization`,
 * `authorizationFile` or `headers`) needs `allowInsecure: true`, stated on purpose.
 */
function checkInsecureCredentials(value: unknown, ctx: z.RefinementCtx): void {
  if (!isPlainObject(value) || typeof value.url !== 'string' || value.allowInsecure === true) return;
  if (!value.url.toLowerCase().startsWith('http://')) return;
  const headerNames = isPlainObject(value.headers) ? Object.keys(value.headers) : [];
  const sendsAuthorization =
    value.authorization !== undefined ||
    value.authorizationFile !== undefined ||
    headerNames.some((n) => n.toLowerCase() === 'authorization');
  if (!sendsAuthorization) return;
  ctx.addIssue({
    code: 'custom',
    path: ['url'],
    message:
      'is plain http but an Authorization header is configured: the token would cross the network in clear text; ' +
      'use https, or set allowInsecure: true if the collector is reached over a trusted link',
    input: undefined,
  });
}

/** The resolved output when the file has none: gzipped NDJSON files under ./data/events of the config's folder. */
export function defaultOutput(baseDir: string): OutputConfig {
  return { type: 'file', dir: path.resolve(baseDir, CONFIG_DEFAULTS.output.dir), gzip: CONFIG_DEFAULTS.output.gzip };
}

/** Schema of `output`; reads `authorizationFile` through `secrets`, resolves `dir` against `secrets.baseDir`. */
export function outputSchema(secrets: SecretContext) {
  const file = closedObject(
    {
      type: z.literal('file'),
      dir: text('a folder path').default(CONFIG_DEFAULTS.output.dir),
      gzip: bool().default(CONFIG_DEFAULTS.output.gzip),
      fileMode: optionalFileMode(),
      dirMode: optionalFileMode(),
    },
    what,
    misplaced('file'),
  ).transform((v): OutputConfig => ({
    type: 'file',
    dir: path.resolve(secrets.baseDir, v.dir),
    gzip: v.gzip,
    ...(v.fileMode === undefined ? {} : { fileMode: v.fileMode }),
    ...(v.dirMode === undefined ? {} : { dirMode: v.dirMode }),
  }));

  const stdout = closedObject({ type: z.literal('stdout') }, what, misplaced('stdout')).transform((): OutputConfig => ({
    type: 'stdout',
  }));

  const http = closedObject(
    {
      type: z.literal('http'),
      url: formatted('an http(s) URL', parseHttpUrl),
      format: oneOf(['ndjson', 'splunk-hec']).default(CONFIG_DEFAULTS.output.httpFormat),
      ...secretKeys('authorization', AUTHORIZATION),
      gzip: bool().default(CONFIG_DEFAULTS.output.gzip),
      batchSize: integer(1, 100_000).default(CONFIG_DEFAULTS.output.httpBatchSize),
      allowInsecure: bool().default(false),
      headers: nullAsAbsent(
        z
          .record(z.string(), text('a header value (a string)', { secret: true, allowEmpty: true }), {
            error: expecting('a mapping of header names to values'),
          })
          .default({}),
      ),
    },
    what,
    misplaced('http'),
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'authorization', AUTHORIZATION, false, ctx), { when: () => true })
    .superRefine(checkHeaders, { when: () => true })
    .superRefine(checkInsecureCredentials, { when: () => true })
    .transform((v, ctx): OutputConfig => {
      const authorization = resolveSecret(v, 'authorization', secrets, ctx);
      return {
        type: 'http',
        url: v.url,
        format: v.format,
        ...(authorization === undefined ? {} : { authorization }),
        gzip: v.gzip,
        batchSize: v.batchSize,
        headers: v.headers,
        ...(v.allowInsecure ? { allowInsecure: true } : {}),
      };
    });

  return withDefaultType(
    'file',
    z.discriminatedUnion('type', [file, stdout, http], { error: typeErrors(OUTPUT_TYPES) }),
  );
}

/** A permission mode written in octal (`"0640"`, or YAML's `0o640`), of the file sink's files or folders. */
function optionalFileMode() {
  return nullAsAbsent(
    formatted(
      'a quoted octal permission mode such as "0600" (unquoted, YAML reads 0600 as a decimal number)',
      parseFileMode,
    ).optional(),
  );
}
