/**
 * The standard Temporal environment variables, which override the file's `temporal` settings so that one file can
 * serve several environments.
 */
import path from 'node:path';
import type { ConfigIssue } from './errors';
import { parseHostPort } from './formats';
import type { Env } from './interpolate';
import { checkSecret } from './secrets';
import type { TemporalConfig } from './types';

/** The variables read, and the setting each overrides. TLS variables name files (relative to the working folder). */
export const TEMPORAL_ENV = {
  TEMPORAL_ADDRESS: 'temporal.address',
  TEMPORAL_NAMESPACE: 'temporal.namespace',
  TEMPORAL_API_KEY: 'temporal.apiKey',
  TEMPORAL_TLS_CERT: 'temporal.tls.certPath',
  TEMPORAL_TLS_KEY: 'temporal.tls.keyPath',
  TEMPORAL_TLS_CA: 'temporal.tls.caPath',
} as const;

/**
 * Returns `temporal` with the settings that `env` overrides (empty variables count as unset), and the problems with
 * their values (reported at the setting they override; the API key is never quoted).
 */
export function applyTemporalEnv(
  temporal: TemporalConfig,
  env: Env,
  cwd: string,
): { temporal: TemporalConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const out: TemporalConfig = { ...temporal };
  const read = (name: keyof typeof TEMPORAL_ENV): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };

  const address = read('TEMPORAL_ADDRESS');
  if (address !== undefined) {
    const parsed = parseHostPort(address);
    if (parsed.ok) out.address = parsed.value;
    else issues.push({ path: TEMPORAL_ENV.TEMPORAL_ADDRESS, message: `from TEMPORAL_ADDRESS: ${parsed.message}` });
  }
  const namespace = read('TEMPORAL_NAMESPACE');
  if (namespace !== undefined) out.namespace = namespace;
  const apiKey = read('TEMPORAL_API_KEY');
  if (apiKey !== undefined) {
    const checked = checkSecret('apiKey', apiKey);
    if (checked.problem === undefined) out.apiKey = checked.value;
    else issues.push({ path: TEMPORAL_ENV.TEMPORAL_API_KEY, message: `from TEMPORAL_API_KEY: ${checked.problem}` });
  }

  const cert = read('TEMPORAL_TLS_CERT');
  const key = read('TEMPORAL_TLS_KEY');
  const ca = read('TEMPORAL_TLS_CA');
  if (cert !== undefined || key !== undefined || ca !== undefined) {
    const tls = typeof out.tls === 'object' ? { ...out.tls } : {};
    if (cert !== undefined) tls.certPath = path.resolve(cwd, cert);
    if (key !== undefined) tls.keyPath = path.resolve(cwd, key);
    if (ca !== undefined) tls.caPath = path.resolve(cwd, ca);
    if ((tls.certPath === undefined) !== (tls.keyPath === undefined)) {
      const [missing, given] =
        tls.certPath === undefined ? ['certPath', 'TEMPORAL_TLS_KEY'] : ['keyPath', 'TEMPORAL_TLS_CERT'];
      issues.push({
        path: `temporal.tls.${missing}`,
        message: `is required because ${given} is set; mTLS needs both a certificate and a key`,
      });
    }
    out.tls = tls;
  }
  return { temporal: out, issues };
}
