/**
 * Secret values of the configuration: which keys hold them, reading them from `*File` keys, and checking them
 * without ever putting a secret into a message.
 */
import { createPrivateKey } from 'node:crypto';
import path from 'node:path';
import type { KeyPath } from './errors';

/** Keys whose values are secrets. Messages never quote their values. */
export const SECRET_KEYS = [
  'password',
  'securityToken',
  'clientSecret',
  'privateKey',
  'authorization',
  'apiKey',
  'secretAccessKey',
  'secret',
] as const;

/** A key that holds a secret. */
export type SecretKey = (typeof SECRET_KEYS)[number];

/** `*File` keys and the secret each one provides: the file's content (without trailing line breaks). */
export const SECRET_FILE_KEYS: Readonly<Record<string, SecretKey>> = {
  passwordFile: 'password',
  securityTokenFile: 'securityToken',
  clientSecretFile: 'clientSecret',
  privateKeyFile: 'privateKey',
  authorizationFile: 'authorization',
  apiKeyFile: 'apiKey',
  secretAccessKeyFile: 'secretAccessKey',
  secretFile: 'secret',
};

const SECRET_KEY_SET: ReadonlySet<string> = new Set(SECRET_KEYS);

/** Whether the value at `keyPath` is a secret: a {@link SECRET_KEYS} key, or an HTTP output header value. */
export function isSecretPath(keyPath: KeyPath): boolean {
  const last = keyPath[keyPath.length - 1];
  if (typeof last === 'string' && SECRET_KEY_SET.has(last)) return true;
  return keyPath.length === 3 && keyPath[0] === 'output' && keyPath[1] === 'headers';
}

/** Reads a file's bytes; `fs.readFileSync` in production, a stub in tests. */
export type ReadFile = (absolutePath: string) => string | Buffer;

/**
 * Reads the secret in `file` (resolved relative to `baseDir`), without a leading byte-order mark and trailing line
 * breaks. On failure, `error` says why, naming the file but never its content.
 */
export function readSecretFile(
  file: string,
  baseDir: string,
  readFile: ReadFile,
): { value: string; error?: undefined } | { error: string } {
  const absolute = path.resolve(baseDir, file);
  const shown = absolute === file ? JSON.stringify(file) : `${JSON.stringify(file)} (${absolute})`;
  try {
    const content = readFile(absolute).toString();
    return { value: content.replace(/^\uFEFF/, '').replace(/[\r\n]+$/, '') };
  } catch (err) {
    return { error: `cannot read ${shown}: ${describeFsError(err)}` };
  }
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return typeof code === 'string' ? code : 'read failed';
  }
}

/**
 * Checks a secret's content. Returns the value to use (private keys written with literal `\n` get real line breaks)
 * or a problem phrased to follow a subject ("must not be empty"), which never quotes the secret.
 */
export function checkSecret(
  key: SecretKey,
  value: string,
): { value: string; problem?: undefined } | { problem: string } {
  if (value === '') return key === 'securityToken' ? { value } : { problem: 'must not be empty' };
  switch (key) {
    case 'securityToken':
    case 'clientSecret':
    case 'apiKey':
    case 'secretAccessKey':
      return /\s/.test(value) ? { problem: 'must not contain whitespace' } : { value };
    case 'authorization':
    case 'secret':
      return /[\r\n\0]/.test(value) ? { problem: 'must not contain line breaks (it is sent as a header)' } : { value };
    case 'privateKey':
      return checkPrivateKey(value);
    case 'password':
      return { value };
  }
}

function checkPrivateKey(value: string): { value: string } | { problem: string } {
  const pem = !value.includes('\n') && value.includes('\\n') ? value.replace(/\\n/g, '\n') : value;
  if (pem.includes('-----BEGIN CERTIFICATE-----')) {
    return {
      problem: 'must be a private key, not a certificate (Salesforce holds the certificate, elfstream the key)',
    };
  }
  if (pem.includes('-----BEGIN PUBLIC KEY-----')) return { problem: 'must be a private key, not a public key' };
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    if (key.asymmetricKeyType !== 'rsa') {
      return {
        problem: `must be an RSA private key (Salesforce JWT bearer tokens are signed with RS256), not a key of type ${key.asymmetricKeyType ?? 'unknown'}`,
      };
    }
    return { value: pem };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_MISSING_PASSPHRASE' || pem.includes('ENCRYPTED')) {
      return { problem: 'must be an unencrypted private key (e.g. openssl pkey -in encrypted.pem -out key.pem)' };
    }
    return {
      problem: 'must be a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)',
    };
  }
}
