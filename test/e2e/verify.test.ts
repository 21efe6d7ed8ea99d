/**
 * `elfstream verify` as a checklist: login, files per configured event type, the output, the Temporal namespace
 * (search attributes, retention against the source's reach). One line per check, ✔ or ✖, exit 1 when any fails.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '@elfstream/salesforce-simulator';
import { stringify } from 'yaml';
import { runElfstream } from '../helpers/cli';
import { temporalAddress } from '../helpers/temporal';

let tmp: string;
let sim: Simulator;
let collector: http.Server;
let collectorUrl: string;
/** Bodies the collector received that held something: a check must write nothing. */
const written: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-verify-'));
  sim = await startSimulator({ days: 2, seed: 3, eventTypes: ['Login', 'URI'] });
  collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (body.length > 0) written.push(body);
      if (req.headers.authorization !== 'Bearer right') res.writeHead(401).end('{"text":"Invalid token"}');
      else res.writeHead(body.length > 0 ? 200 : 400).end('{"text":"No data"}');
    });
  });
  await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
  collectorUrl = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/ingest`;
});

afterAll(async () => {
  await new Promise((r) => collector?.close(r));
  await sim?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function config(name: string, opts: { namespace?: string; output?: unknown; eventTypes?: string[] } = {}): string {
  const file = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(
    file,
    stringify({
      temporal: { address: temporalAddress(), namespace: opts.namespace ?? 'default' },
      output: opts.output ?? { type: 'file', dir: path.join(tmp, 'events') },
      sources: [
        {
          id: 'acme',
          salesforce: {
            loginUrl: sim.url,
            auth: {
              type: 'password',
              username: sim.username,
              password: sim.credentials.password,
              securityToken: sim.credentials.securityToken,
            },
          },
          eventTypes: opts.eventTypes ?? ['Login', 'URI'],
        },
      ],
    }),
  );
  return file;
}

const checks = (stdout: string): string[] => stdout.split('\n').filter((l) => /^[✔✖] /.test(l));

describe('elfstream verify', () => {
  it('passes every check of a working setup, one line each, exit 0', async () => {
    const r = await runElfstream(['verify', 'acme', '-c', config('ok')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const days = sim.control
      .listFiles()
      .map((f) => f.logDate.slice(0, 10))
      .sort();
    const range = `${days[0]} … ${days[days.length - 1]}`;
    expect(checks(r.stdout)).toEqual([
      `✔ login as ${sim.username} (org ${sim.orgId})`,
      `✔ Login: files for LogDates ${range}`,
      `✔ URI: files for LogDates ${range}`,
      `✔ output: ${path.join(tmp, 'events')} is writable`,
      `✔ Temporal: namespace default at ${temporalAddress()}`,
      '✔ Temporal: search attributes ElfSourceId, ElfEventType, ElfLogDate',
      "✔ Temporal: retention 32 days covers the source's reach (30 days) plus 2 days",
    ]);
  });

  it('names an event type without files, a collector that refuses the token, a missing namespace; exit 1', async () => {
    const r = await runElfstream([
      'verify',
      'acme',
      '-c',
      config('bad', {
        namespace: 'no-such-namespace',
        eventTypes: ['Login', 'ApexExecution'],
        output: { type: 'http', url: collectorUrl, authorization: 'Bearer wrong', allowInsecure: true },
      }),
    ]);
    expect(r.code).toBe(1);
    expect(checks(r.stdout).slice(1)).toEqual([
      expect.stringMatching(/^✔ Login: files for LogDates /),
      "✖ ApexExecution: no files in the last 30 days: the org's Event Monitoring licence may not include it, " +
        'or nothing happened that it logs',
      `✖ output: http://127.0.0.1:${new URL(collectorUrl).port} refused the authorization (HTTP 401): check the token`,
      `✖ Temporal: namespace no-such-namespace does not exist at ${temporalAddress()}: run \`elfstream setup\``,
    ]);
    expect(r.stderr).toContain('acme: 3 check(s) failed');

    const good = await runElfstream([
      'verify',
      'acme',
      '-c',
      config('collector', {
        output: { type: 'http', url: collectorUrl, authorization: 'Bearer right', allowInsecure: true },
      }),
    ]);
    expect(checks(good.stdout)).toContain(
      `✔ output: http://127.0.0.1:${new URL(collectorUrl).port} answers (HTTP 400 to an empty batch)`,
    );
    expect(written).toEqual([]);
  });

  it('fails a namespace that keeps closed workflows for less than the source reaches back', async () => {
    const namespace = `verify-short-${process.pid}`;
    const file = config('short', { namespace });
    const setup = await runElfstream(['setup', '--retention-days', '2', '-c', file], { timeoutMs: 120_000 });
    expect(setup.code).toBe(0);
    const r = await runElfstream(['verify', 'acme', '-c', file]);
    expect(r.code).toBe(1);
    expect(checks(r.stdout)).toContain(
      "✖ Temporal: retention 2 days is shorter than the source's reach (30 days) plus 2 days: file workflows (the " +
        'ledger) are deleted before a backfill could meet them, and it would ingest those files again; raise it: ' +
        `elfstream setup, or temporal operator namespace update --namespace ${namespace} --retention 768h`,
    );
  }, 180_000);
});
