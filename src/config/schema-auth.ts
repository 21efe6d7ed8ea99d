/** Schema of a source's `salesforce` mapping: login URL, API version and one of four auth types. */
import { z } from 'zod';
import { CONFIG_DEFAULTS } from './defaults';
import { apiMajor, loginHost, parseApiVersion, parseLoginUrl } from './formats';
import { belongIn, closedObject, formatted, misplacedKeys, text, typeErrors } from './schema-fields';
import { checkSecretFields, resolveSecret, secretKeys } from './secret-fields';
import type { SecretContext } from './secret-fields';
import type { AuthConfig, SalesforceConfig } from './types';

/** The keys of each auth type. */
export const AUTH_KEYS = {
  password: ['type', 'username', 'password', 'passwordFile', 'securityToken', 'securityTokenFile'],
  'oauth-password': [
    'type',
    'username',
    'password',
    'passwordFile',
    'securityToken',
    'securityTokenFile',
    'clientId',
    'clientSecret',
    'clientSecretFile',
  ],
  'client-credentials': ['type', 'clientId', 'clientSecret', 'clientSecretFile'],
  jwt: ['type', 'username', 'clientId', 'privateKey', 'privateKeyFile', 'audience'],
} as const satisfies Record<AuthConfig['type'], readonly string[]>;

const AUTH_TYPES = Object.keys(AUTH_KEYS) as AuthConfig['type'][];
const DEFAULT_LOGIN_URL = CONFIG_DEFAULTS.salesforce.loginUrl;
const GLOBAL_LOGIN_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);
const SOAP_LOGIN_LAST_VERSION = 64;

const misplaced = misplacedKeys('auth', AUTH_KEYS);
const what = 'an auth mapping';
const username = text('the Salesforce username (e.g. elf-reader@acme.com)');
const clientId = text('the consumer key (client id) of the connected app or external client app');
const PASSWORD = 'the password of the Salesforce user';
const TOKEN = 'the security token ("" when logging in from a trusted IP range)';
const CLIENT_SECRET = 'the consumer secret (client secret)';
const PRIVATE_KEY = 'the PEM private key whose certificate is uploaded to the app';
const when = { when: () => true };

function authSchema(secrets: SecretContext) {
  const passwordShape = {
    username,
    ...secretKeys('password', PASSWORD),
    ...secretKeys('securityToken', TOKEN),
  };
  const password = closedObject({ type: z.literal('password'), ...passwordShape }, what, misplaced('password'))
    .superRefine((v, ctx) => checkSecretFields(v, 'password', PASSWORD, true, ctx), when)
    .transform((v, ctx): AuthConfig => ({
      type: 'password',
      username: v.username,
      password: resolveSecret(v, 'password', secrets, ctx) ?? '',
      securityToken: resolveSecret(v, 'securityToken', secrets, ctx) ?? '',
    }));
  const oauthPassword = closedObject(
    { type: z.literal('oauth-password'), ...passwordShape, clientId, ...secretKeys('clientSecret', CLIENT_SECRET) },
    what,
    misplaced('oauth-password'),
  )
    .superRefine((v, ctx) => {
      checkSecretFields(v, 'password', PASSWORD, true, ctx);
      checkSecretFields(v, 'clientSecret', CLIENT_SECRET, true, ctx);
    }, when)
    .transform((v, ctx): AuthConfig => ({
      type: 'oauth-password',
      username: v.username,
      password: resolveSecret(v, 'password', secrets, ctx) ?? '',
      securityToken: resolveSecret(v, 'securityToken', secrets, ctx) ?? '',
      clientId: v.clientId,
      clientSecret: resolveSecret(v, 'clientSecret', secrets, ctx) ?? '',
    }));
  const clientCredentials = closedObject(
    { type: z.literal('client-credentials'), clientId, ...secretKeys('clientSecret', CLIENT_SECRET) },
    what,
    misplaced('client-credentials'),
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'clientSecret', CLIENT_SECRET, true, ctx), when)
    .transform((v, ctx): AuthConfig => ({
      type: 'client-credentials',
      clientId: v.clientId,
      clientSecret: resolveSecret(v, 'clientSecret', secrets, ctx) ?? '',
    }));
  const jwt = closedObject(
    {
      type: z.literal('jwt'),
      username,
      clientId,
      ...secretKeys('privateKey', PRIVATE_KEY),
      audience: text('the JWT audience URL (e.g. https://login.salesforce.com)').optional(),
    },
    what,
    misplaced('jwt'),
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'privateKey', PRIVATE_KEY, true, ctx), when)
    .transform((v, ctx): AuthConfig => ({
      type: 'jwt',
      username: v.username,
      clientId: v.clientId,
      privateKey: resolveSecret(v, 'privateKey', secrets, ctx) ?? '',
      ...(v.audience === undefined ? {} : { audience: v.audience }),
    }));
  return z.discriminatedUnion('type', [password, oauthPassword, clientCredentials, jwt], {
    error: typeErrors(AUTH_TYPES),
  });
}

/** Checks that need both the login URL or API version and the auth type. Runs on raw input too. */
function checkAuthAgainstOrg(value: unknown, ctx: z.RefinementCtx): void {
  if (typeof value !== 'object' || value === null) return;
  const { loginUrl, apiVersion, auth } = value as { loginUrl?: unknown; apiVersion?: unknown; auth?: unknown };
  const type = (auth as { type?: unknown } | null | undefined)?.type;
  if (type === 'client-credentials' && typeof loginUrl === 'string' && GLOBAL_LOGIN_HOSTS.has(loginHost(loginUrl))) {
    const shown = `${JSON.stringify(loginUrl)}${loginUrl === DEFAULT_LOGIN_URL ? ' (the default)' : ''}`;
    ctx.addIssue({
      code: 'custom',
      path: ['loginUrl'],
      message: `${shown} cannot be used with client-credentials auth: Salesforce rejects the flow on ${loginHost(loginUrl)}; use your My Domain URL, e.g. https://acme.my.salesforce.com`,
      input: undefined,
    });
  }
  if (type === 'password' && (typeof apiVersion === 'string' || typeof apiVersion === 'number')) {
    const version = parseApiVersion(apiVersion);
    if (version.ok && version.value !== 'auto' && apiMajor(version.value) > SOAP_LOGIN_LAST_VERSION) {
      ctx.addIssue({
        code: 'custom',
        path: ['apiVersion'],
        message: `"${version.value}" cannot be used with auth type "password": SOAP login() is not available from API version 65.0; use "auto" (which picks at most 64.0 for password auth) or 64.0, or client-credentials or jwt auth`,
        input: undefined,
      });
    }
  }
}

/** The keys of the `salesforce` mapping. */
export const SALESFORCE_KEYS = ['loginUrl', 'apiVersion', 'auth'] as const;

/** Schema of `sources[].salesforce`; reads secret files through `secrets`. */
export function salesforceSchema(secrets: SecretContext) {
  return closedObject(
    {
      loginUrl: formatted('an http(s) URL', parseLoginUrl).default(DEFAULT_LOGIN_URL),
      apiVersion: z
        .preprocess(
          (v) => (typeof v === 'number' ? String(v) : v),
          formatted('a Salesforce API version like "68.0", or "auto"', parseApiVersion),
        )
        .default(CONFIG_DEFAULTS.salesforce.apiVersion),
      auth: authSchema(secrets),
    },
    'a salesforce mapping (loginUrl, apiVersion, auth)',
    { elsewhere: belongIn('the auth mapping', Object.values(AUTH_KEYS).flat()) },
  )
    .superRefine(checkAuthAgainstOrg, when)
    .transform((v): SalesforceConfig => ({
      loginUrl: v.loginUrl,
      apiVersion: v.apiVersion,
      // A JWT without `audience` gets its `aud` from the login URL in the client (`defaultJwtAudience`), by
      // Salesforce's rule; filling it here with the login URL would send a My Domain URL, which is rejected.
      auth: v.auth,
    }));
}
