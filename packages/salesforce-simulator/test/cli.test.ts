import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from 'jsforce';
import { runSimulatorCli } from '../src';
import { signJwt } from './helpers';

describe('elfstream sim (runSimulatorCli)', () => {
  it('prints where it listens and the demo credentials, logs requests without secrets, and stops on abort', async () => {
    const lines: string[] = [];
    const stop = new AbortController();
    const keyPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'elf-sim-')), 'jwt.pem');
    const run = runSimulatorCli(
      [
        '--port',
        '0',
        '--seed',
        '42',
        '--days',
        '1',
        '--clock',
        'manual',
        '--client-id',
        'demo-app',
        '--jwt-key-out',
        keyPath,
      ],
      { out: (l) => lines.push(l), signal: stop.signal },
    );
    const deadline = Date.now() + 10_000;
    while (!lines.some((l) => l.startsWith('  clock:')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const url = /^Simulator listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? '')?.[1];
    expect(url).toBeDefined();
    expect(lines).toEqual(
      expect.arrayContaining([
        '  password:       sim-password',
        '  security token: SIMTOKEN123',
        '  client id:      demo-app',
      ]),
    );
    expect(lines).toContain(`  JWT key:        ${keyPath}`);
    const key = fs.readFileSync(keyPath, 'utf8');
    expect(key).toContain('BEGIN PRIVATE KEY');
    expect(fs.statSync(keyPath).mode & 0o777).toBe(0o600);

    // The written key signs assertions the simulator accepts.
    const conn = new Connection({ version: '62.0', oauth2: { loginUrl: url ?? '' } });
    const assertion = signJwt(
      { iss: 'demo-app', sub: 'elf-reader@acme-sim.example', aud: url, exp: Math.floor(Date.now() / 1000) + 120 },
      key,
    );
    await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    await conn.query("SELECT Id FROM EventLogFile WHERE EventType = 'Login' LIMIT 1");
    const printed = lines.length;
    stop.abort();
    await run;
    expect(lines.at(-1)).toBe('Simulator stopped');
    const requestLines = lines.slice(10, printed);
    expect(requestLines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POST \/services\/oauth2\/token 200 \d+ms$/),
        expect.stringMatching(/^GET \/services\/data\/v62\.0\/query 200 \d+ms$/),
      ]),
    );
    const log = requestLines.join('\n');
    expect(log).not.toContain(conn.accessToken ?? 'no-token');
    expect(log).not.toContain(assertion.slice(0, 40));
    expect(log).not.toContain('Login');
  });

  it('rejects bad options', async () => {
    await expect(runSimulatorCli(['--port', 'abc'], { out: () => undefined })).rejects.toThrow(
      'port must be a whole number',
    );
    await expect(runSimulatorCli(['--clock', 'fast'], { out: () => undefined })).rejects.toThrow(
      '--clock must be real or manual',
    );
  });
});
