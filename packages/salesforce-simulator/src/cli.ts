/**
 * `elfstream sim`: runs the simulator in the foreground, prints where it listens and the demo credentials, logs
 * each request, and returns once interrupted (SIGINT/SIGTERM) and closed.
 */
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { startSimulator } from './server';
import type { SimulatorOptions } from './types';

/** Hooks for embedding and tests. */
export interface SimulatorCliIo {
  /** Output lines (default: console.log). */
  out?: (line: string) => void;
  /** Stops the simulator when aborted (default: SIGINT or SIGTERM). */
  signal?: AbortSignal;
}

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};

/**
 * Runs the simulator CLI. `argv` holds the options only, e.g. `['--port', '0', '--seed', '42']`.
 * Resolves when the simulator has been stopped and closed.
 */
export async function runSimulatorCli(argv: readonly string[], io: SimulatorCliIo = {}): Promise<void> {
  const out = io.out ?? ((line: string) => console.log(line));
  const program = new Command('sim')
    .description('Run the Salesforce simulator (EventLogFile) on loopback')
    .option('--port <n>', 'TCP port, 0 for a free one', int('port'), 0)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--seed <n>', 'seed of the simulated world', int('seed'), 42)
    .option('--days <n>', 'days of history', int('days'), 7)
    .option('--now <iso>', 'simulated clock start (default: now)')
    .option('--clock <mode>', 'real (time flows) or manual', 'real')
    .option('--no-hourly', 'org without hourly files')
    .option('--username <u>')
    .option('--password <p>')
    .option('--security-token <t>')
    .option('--client-id <id>')
    .option('--client-secret <s>')
    .option('--jwt-key-out <path>', 'write the JWT signing key (PEM) there')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out(s.trimEnd()), writeErr: (s) => out(s.trimEnd()) });
  program.parse([...argv], { from: 'user' });
  const o = program.opts<{
    port: number;
    host: string;
    seed: number;
    days: number;
    now?: string;
    clock: string;
    hourly: boolean;
    username?: string;
    password?: string;
    securityToken?: string;
    clientId?: string;
    clientSecret?: string;
    jwtKeyOut?: string;
  }>();
  if (o.clock !== 'real' && o.clock !== 'manual') throw new InvalidArgumentError('--clock must be real or manual');
  const credentials: SimulatorOptions['credentials'] = {
    ...(o.username ? { username: o.username } : {}),
    ...(o.password ? { password: o.password } : {}),
    ...(o.securityToken ? { securityToken: o.securityToken } : {}),
    ...(o.clientId ? { clientId: o.clientId } : {}),
    ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}),
  };
  const sim = await startSimulator({
    port: o.port,
    host: o.host,
    seed: o.seed,
    days: o.days,
    clock: o.clock,
    hourly: o.hourly,
    credentials,
    ...(o.now ? { now: o.now } : {}),
    log: (line) => out(line),
  });
  const c = sim.credentials;
  if (o.jwtKeyOut) await writeFile(o.jwtKeyOut, c.jwtPrivateKeyPem, { mode: 0o600 });
  // Demo credentials of a fake org: printing them is the point.
  out(`Simulator listening on ${sim.url}`);
  out(`  instance URL:   ${sim.instanceUrl}`);
  out(`  org id:         ${sim.orgId}`);
  out(`  username:       ${c.username}`);
  out(`  password:       ${c.password}`);
  out(`  security token: ${c.securityToken}`);
  out(`  client id:      ${c.clientId}`);
  out(`  client secret:  ${c.clientSecret}`);
  out(`  JWT key:        ${o.jwtKeyOut ?? '(not written; pass --jwt-key-out <path>)'}`);
  out(`  clock:          ${sim.control.now()} (${o.clock})`);
  await new Promise<void>((resolve) => {
    if (io.signal) {
      if (io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
      return;
    }
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  out('Simulator stopped');
}
