import type { DevServer } from '../../src/temporal/dev-server';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __elfstreamDevServer?: DevServer }).__elfstreamDevServer;
  await server?.stop();
}
