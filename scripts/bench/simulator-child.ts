/**
 * Child process of the benchmarks: runs a Salesforce simulator until SIGTERM and announces it with a `READY <json>`
 * line. Files are added through its control API (`SimulatorControlClient`).
 *
 *   node simulator-child.js [--now ISO] [--days N] [--event-types A,B | --event-types ""]
 */
import { startSimulator } from '@elfstream/salesforce-simulator';
import { reportReady } from './child';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const types = option('event-types');
  const sim = await startSimulator({
    now: option('now') ?? '2026-11-27T13:00:00Z',
    days: Number(option('days') ?? 1),
    ...(types !== undefined ? { eventTypes: types.split(',').filter(Boolean) } : {}),
  });
  const { username, password, securityToken, clientId, clientSecret } = sim.credentials;
  reportReady({
    url: sim.url,
    instanceUrl: sim.instanceUrl,
    orgId: sim.orgId,
    username,
    password,
    securityToken,
    clientId,
    clientSecret,
    now: sim.control.now(),
  });
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
