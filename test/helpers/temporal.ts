import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';

let runtimeInstalled = false;

/** Quiet SDK logs once per test process; must run before any worker or native connection. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
}

export function temporalAddress(): string {
  const address = process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('The Temporal dev server of the test harness is not running (see test/helpers/global-setup.ts)');
  return address;
}

export function workflowBundlePath(): string {
  const p = process.env.ELFSTREAM_TEST_WORKFLOW_BUNDLE;
  if (!p) throw new Error('No workflow bundle: src/workflows/index.ts was missing when the tests started');
  return p;
}

export interface TemporalTestContext {
  connection: Connection;
  nativeConnection: NativeConnection;
  client: Client;
  close(): Promise<void>;
}

/** Client and worker connections to the shared dev server, or to `address` (a test's own server). */
export async function connectToTestServer(address = temporalAddress()): Promise<TemporalTestContext> {
  installQuietRuntime();
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  return {
    connection,
    nativeConnection,
    client,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

/**
 * For a describe block (or a file): connects to the shared dev server before its tests and closes after them. The
 * returned context reads the connections made in `beforeAll`, so it can be used in tests and hooks as it is.
 */
export function useTestServer(): TemporalTestContext {
  let ctx: TemporalTestContext | undefined;
  beforeAll(async () => {
    ctx = await connectToTestServer();
  });
  afterAll(async () => {
    await ctx?.close();
  });
  const current = (): TemporalTestContext => {
    if (ctx === undefined) throw new Error('useTestServer: the connection is made in beforeAll; use it inside tests');
    return ctx;
  };
  return {
    get connection() {
      return current().connection;
    },
    get nativeConnection() {
      return current().nativeConnection;
    },
    get client() {
      return current().client;
    },
    close: () => current().close(),
  };
}

/** A task queue no other test uses. */
export function uniqueTaskQueue(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
