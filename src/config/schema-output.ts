/** Schema of the `output` mapping: where normalized events go (file, stdout, http, s3 or kafka). */
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
import type { HttpAuthConfig, OutputConfig } from './types';

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
    'preset',
    'auth',
  ],
  s3: [
    'type',
    'bucket',
    'prefix',
    'region',
    'endpoint',
    'accessKeyId',
    'secretAccessKey',
    'secretAccessKeyFile',
    'gzip',
  ],
  kafka: ['type', 'brokers', 'topic', 'topicPerEventType', 'topicPrefix', 'progressTopic', 'clientId', 'ssl', 'sasl'],
} as const satisfies Record<OutputConfig['type'], readonly string[]>;

const OUTPUT_TYPES = Object.keys(OUTPUT_KEYS) as OutputConfig['type'][];
const AUTHORIZATION = 'the Authorization header value (e.g. "Splunk <token>")';
const AUTH_SECRET = 'the shared secret, HMAC key, bearer token or basic-auth password';
const SECRET_ACCESS_KEY = 'the AWS secret access key';
const SASL_PASSWORD = 'the SASL password';
/** S3 bucket names: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Kafka topic names: letters, digits, '.', '_' and '-', at most 249 characters. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER = /^[^\s:/]+:\d{1,5}$/;
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
  // An hmac auth sends only a signature; the other auth types send their secret in a header.
  const authSendsSecret = isPlainObject(value.auth) && value.auth.type !== 'hmac';
  const sendsAuthorization =
    value.authorization !== undefined ||
    value.authorizationFile !== undefined ||
    authSendsSecret ||
    headerNames.some((n) => n.toLowerCase() === 'authorization');
  if (!sendsAuthorization) return;
  ctx.addIssue({
    code: 'custom',
    path: ['url'],
    message:
      'is plain http but an Authorization header (or an auth secret) is configured: the token would cross the network in clear text; ' +
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

  const httpAuth = closedObject(
    {
      type: oneOf(['shared-secret', 'hmac', 'bearer', 'basic']),
      header: formatted('an HTTP header name', (t) =>
        HEADER_NAME.test(t)
          ? { ok: true as const, value: t }
          : { ok: false as const, message: `${JSON.stringify(t)} is not a valid HTTP header name` },
      ).optional(),
      username: text('a user name').optional(),
      algorithm: oneOf(['sha256', 'sha512', 'sha1']).default('sha256'),
      encoding: oneOf(['hex', 'base64']).default('hex'),
      ...secretKeys('secret', AUTH_SECRET),
    },
    'an auth mapping (type, and header, username or algorithm as the type needs, and secret)',
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'secret', AUTH_SECRET, true, ctx), { when: () => true })
    .superRefine(
      (v, ctx) => {
        if (!isPlainObject(v)) return;
        const needs = (key: string, when: boolean, why: string): void => {
          if (when && v[key] === undefined)
            ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}`, input: undefined });
        };
        needs(
          'header',
          v.type === 'shared-secret' || v.type === 'hmac',
          `with type ${String(v.type)}: the header name set on the receiving side`,
        );
        needs('username', v.type === 'basic', 'with type basic');
      },
      { when: () => true },
    )
    .transform((v, ctx): HttpAuthConfig => {
      const secret = resolveSecret(v, 'secret', secrets, ctx) ?? '';
      switch (v.type) {
        case 'shared-secret':
          return { type: 'shared-secret', header: v.header ?? '', secret };
        case 'hmac':
          return { type: 'hmac', header: v.header ?? '', secret, algorithm: v.algorithm, encoding: v.encoding };
        case 'bearer':
          return { type: 'bearer', secret };
        case 'basic':
          return { type: 'basic', username: v.username ?? '', secret };
      }
    });

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
      preset: oneOf(['panther']).optional(),
      auth: nullAsAbsent(httpAuth.optional()),
    },
    what,
    misplaced('http'),
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'authorization', AUTHORIZATION, false, ctx), { when: () => true })
    .superRefine(checkHeaders, { when: () => true })
    .superRefine(checkInsecureCredentials, { when: () => true })
    .superRefine(
      (v, ctx) => {
        if (!isPlainObject(v)) return;
        if (v.auth !== undefined && (v.authorization !== undefined || v.authorizationFile !== undefined)) {
          ctx.addIssue({
            code: 'custom',
            path: ['auth'],
            message: 'cannot be used together with authorization or authorizationFile; set one of them',
            input: undefined,
          });
        }
        if (v.preset === 'panther' && v.format === 'splunk-hec') {
          ctx.addIssue({
            code: 'custom',
            path: ['format'],
            message: "must be ndjson with preset panther (Panther's HTTP source reads Lines)",
            input: undefined,
          });
        }
      },
      { when: () => true },
    )
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
        ...(v.preset !== undefined ? { preset: v.preset } : {}),
        ...(v.auth !== undefined ? { auth: v.auth } : {}),
      };
    });

  const s3 = closedObject(
    {
      type: z.literal('s3'),
      bucket: formatted('an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)', (t) =>
        BUCKET_NAME.test(t)
          ? { ok: true as const, value: t }
          : { ok: false as const, message: `${JSON.stringify(t)} is not a valid S3 bucket name` },
      ),
      prefix: text('a key prefix such as "salesforce/"', { allowEmpty: true }).default(''),
      region: text('an AWS region such as us-east-1'),
      endpoint: formatted('an http(s) URL', parseHttpUrl).optional(),
      accessKeyId: text('an AWS access key id').optional(),
      ...secretKeys('secretAccessKey', SECRET_ACCESS_KEY),
      gzip: bool().default(CONFIG_DEFAULTS.output.gzip),
    },
    what,
    misplaced('s3'),
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'secretAccessKey', SECRET_ACCESS_KEY, false, ctx), {
      when: () => true,
    })
    .superRefine(
      (v, ctx) => {
        if (!isPlainObject(v)) return;
        const hasSecret = v.secretAccessKey !== undefined || v.secretAccessKeyFile !== undefined;
        if (v.accessKeyId !== undefined && !hasSecret) {
          ctx.addIssue({
            code: 'custom',
            path: ['secretAccessKey'],
            message: 'is required with accessKeyId (or secretAccessKeyFile: a file holding it)',
            input: undefined,
          });
        } else if (v.accessKeyId === undefined && hasSecret) {
          ctx.addIssue({
            code: 'custom',
            path: ['accessKeyId'],
            message: 'is required with secretAccessKey; or remove both to use the AWS default credential chain',
            input: undefined,
          });
        }
        if (
          typeof v.prefix === 'string' &&
          (v.prefix.startsWith('/') || (v.prefix !== '' && !v.prefix.endsWith('/')))
        ) {
          ctx.addIssue({
            code: 'custom',
            path: ['prefix'],
            message: 'must end with "/" and not start with one (e.g. "salesforce/")',
            input: undefined,
          });
        }
      },
      { when: () => true },
    )
    .transform((v, ctx): OutputConfig => {
      const secretAccessKey = resolveSecret(v, 'secretAccessKey', secrets, ctx);
      return {
        type: 's3',
        bucket: v.bucket,
        prefix: v.prefix,
        region: v.region,
        ...(v.endpoint !== undefined ? { endpoint: v.endpoint } : {}),
        ...(v.accessKeyId !== undefined && secretAccessKey !== undefined
          ? { credentials: { accessKeyId: v.accessKeyId, secretAccessKey } }
          : {}),
        gzip: v.gzip,
      };
    });

  const sasl = closedObject(
    {
      mechanism: oneOf(['plain', 'scram-sha-256', 'scram-sha-512']),
      username: text('a SASL user name'),
      ...secretKeys('password', SASL_PASSWORD),
    },
    'a sasl mapping (mechanism, username, password)',
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'password', SASL_PASSWORD, true, ctx), { when: () => true })
    .transform((v, ctx) => ({
      mechanism: v.mechanism,
      username: v.username,
      password: resolveSecret(v, 'password', secrets, ctx) ?? '',
    }));

  const kafka = closedObject(
    {
      type: z.literal('kafka'),
      brokers: z
        .array(
          formatted('a broker address host:port', (t) =>
            BROKER.test(t)
              ? { ok: true as const, value: t }
              : { ok: false as const, message: `${JSON.stringify(t)} is not a broker address (host:port)` },
          ),
          { error: expecting('a list of broker addresses (host:port)') },
        )
        .min(1, { error: 'must name at least one broker' }),
      topic: formatted('a Kafka topic name', (t) =>
        TOPIC_NAME.test(t)
          ? { ok: true as const, value: t }
          : { ok: false as const, message: `${JSON.stringify(t)} is not a valid Kafka topic name` },
      ).optional(),
      topicPerEventType: bool().default(false),
      topicPrefix: text('a topic name prefix such as "salesforce."').default('salesforce.'),
      progressTopic: text('a Kafka topic name').default(CONFIG_DEFAULTS.output.kafkaProgressTopic),
      clientId: text('a Kafka client id').default('elfstream'),
      ssl: bool().default(false),
      sasl: nullAsAbsent(sasl.optional()),
    },
    what,
    misplaced('kafka'),
  )
    .superRefine(
      (v, ctx) => {
        if (!isPlainObject(v)) return;
        const perType = v.topicPerEventType === true;
        if (v.topic === undefined && !perType) {
          ctx.addIssue({
            code: 'custom',
            path: ['topic'],
            message: 'is required; expected a Kafka topic name (or topicPerEventType: true)',
            input: undefined,
          });
        } else if (v.topic !== undefined && perType) {
          ctx.addIssue({
            code: 'custom',
            path: ['topicPerEventType'],
            message: 'cannot be used together with topic; set one of them',
            input: undefined,
          });
        }
      },
      { when: () => true },
    )
    .transform((v): OutputConfig => ({
      type: 'kafka',
      brokers: v.brokers,
      ...(v.topic !== undefined ? { topic: v.topic } : {}),
      topicPerEventType: v.topicPerEventType,
      topicPrefix: v.topicPrefix,
      progressTopic: v.progressTopic,
      clientId: v.clientId,
      ssl: v.ssl,
      ...(v.sasl !== undefined ? { sasl: v.sasl } : {}),
    }));

  return withDefaultType(
    'file',
    z.discriminatedUnion('type', [file, stdout, http, s3, kafka], { error: typeErrors(OUTPUT_TYPES) }),
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
