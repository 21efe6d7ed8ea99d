import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import type { TemporalConfig } from '../config/types';

interface ConnectOptions {
  address: string;
  apiKey?: string;
  tls?:
    | { clientCertPair?: { crt: Buffer; key: Buffer }; serverRootCACertificate?: Buffer; serverNameOverride?: string }
    | boolean;
}

/** Connection options for Temporal (self-hosted, Temporal Cloud with an API key or mTLS), from elfstream's config. */
export function connectOptions(t: TemporalConfig): ConnectOptions {
  let tls: ConnectOptions['tls'];
  if (t.tls === true || (t.apiKey && t.tls === undefined)) tls = true;
  else if (t.tls && typeof t.tls === 'object') {
    tls = {
      clientCertPair:
        t.tls.certPath && t.tls.keyPath
          ? { crt: fs.readFileSync(t.tls.certPath), key: fs.readFileSync(t.tls.keyPath) }
          : undefined,
      serverRootCACertificate: t.tls.caPath ? fs.readFileSync(t.tls.caPath) : undefined,
      serverNameOverride: t.tls.serverName,
    };
  }
  return { address: t.address, apiKey: t.apiKey, tls };
}

/** A client connection; the error names the address and what to check when the server cannot be reached. */
export async function connectClient(t: TemporalConfig): Promise<Client> {
  try {
    const connection = await Connection.connect({ ...connectOptions(t), connectTimeout: '5s' });
    return new Client({ connection, namespace: t.namespace });
  } catch (err) {
    throw unreachable(t, err);
  }
}

export function unreachable(t: TemporalConfig, err: unknown): Error {
  const reason = err instanceof Error ? err.message : String(err);
  return new Error(
    `cannot reach the Temporal server at ${t.address} (namespace ${t.namespace}): ${reason}. ` +
      'Start one (e.g. `elfstream dev` or `temporal server start-dev`) or set TEMPORAL_ADDRESS / temporal.address.',
  );
}
