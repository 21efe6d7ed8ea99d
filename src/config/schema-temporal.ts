/** Schema of the `temporal` mapping: where the worker and CLI connect. */
import path from 'node:path';
import { CONFIG_DEFAULTS } from './defaults';
import { parseHostPort } from './formats';
import { booleanOr, closedObject, formatted, nullAsAbsent, text } from './schema-fields';
import { checkSecretFields, resolveSecret, secretKeys } from './secret-fields';
import type { SecretContext } from './secret-fields';
import type { TemporalConfig } from './types';

type TlsFiles = Exclude<TemporalConfig['tls'], boolean | undefined>;

const API_KEY = 'a Temporal Cloud API key';

function tlsSchema(baseDir: string) {
  const files = closedObject(
    {
      certPath: text('the path of the client certificate (PEM)').optional(),
      keyPath: text('the path of the client private key (PEM)').optional(),
      caPath: text('the path of the server CA certificate (PEM)').optional(),
      serverName: text('the server name to verify').optional(),
    },
    'a tls mapping (certPath, keyPath, caPath, serverName)',
  ).superRefine((v, ctx) => {
    if ((v.certPath === undefined) !== (v.keyPath === undefined)) {
      const missing = v.certPath === undefined ? 'certPath' : 'keyPath';
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: 'is required; mTLS needs both certPath and keyPath',
        input: undefined,
      });
    }
  });
  return booleanOr(files, 'true, false or a tls mapping (certPath, keyPath, caPath, serverName)').transform(
    (v): boolean | TlsFiles => {
      if (typeof v === 'boolean') return v;
      const out: TlsFiles = {};
      // Files are named relative to the configuration file, like every other path in it.
      if (v.certPath !== undefined) out.certPath = path.resolve(baseDir, v.certPath);
      if (v.keyPath !== undefined) out.keyPath = path.resolve(baseDir, v.keyPath);
      if (v.caPath !== undefined) out.caPath = path.resolve(baseDir, v.caPath);
      if (v.serverName !== undefined) out.serverName = v.serverName;
      return out;
    },
  );
}

/** The resolved `temporal` settings when the file has none. */
export function defaultTemporal(): TemporalConfig {
  return { ...CONFIG_DEFAULTS.temporal };
}

/** Schema of `temporal`; reads `apiKeyFile` through `secrets`. */
export function temporalSchema(secrets: SecretContext) {
  return closedObject(
    {
      address: formatted('host:port', parseHostPort).default(CONFIG_DEFAULTS.temporal.address),
      namespace: text('a Temporal namespace').default(CONFIG_DEFAULTS.temporal.namespace),
      taskQueue: text('a task queue name').default(CONFIG_DEFAULTS.temporal.taskQueue),
      ...secretKeys('apiKey', API_KEY),
      tls: nullAsAbsent(tlsSchema(secrets.baseDir).optional()),
    },
    'a temporal mapping (address, namespace, taskQueue, apiKey, tls)',
  )
    .superRefine((v, ctx) => checkSecretFields(v, 'apiKey', API_KEY, false, ctx), { when: () => true })
    .transform((v, ctx): TemporalConfig => {
      const apiKey = resolveSecret(v, 'apiKey', secrets, ctx);
      const out: TemporalConfig = { address: v.address, namespace: v.namespace, taskQueue: v.taskQueue };
      if (apiKey !== undefined) out.apiKey = apiKey;
      if (v.tls !== undefined) out.tls = v.tls;
      return out;
    });
}
