/**
 * Benchmark of the simulator's LogFile endpoint: adds a generated ~1 GiB URI file, downloads it over loopback with
 * identity and with gzip, and samples the simulator's RSS meanwhile. The simulator runs in a child process so its
 * memory is measured alone. Exits non-zero when its peak RSS exceeds the budget.
 *
 *   npx tsx scripts/bench-simulator.ts [--gib 1] [--budget-mb 150] [--tsx]
 *
 * The child (scripts/bench/simulator-child.ts, shared with `npm run bench`) runs the simulator compiled to JavaScript
 * (with the TypeScript compiler, into test-output/), as the product runs it; `--tsx` runs it under tsx instead, whose
 * loader thread alone adds about 50 MB of RSS.
 */
import http from 'node:http';
import { createGunzip } from 'node:zlib';
import { SimulatorControlClient } from '@elfstream/salesforce-simulator';
import { startSimulatorChild } from './bench/child';
import { compileForChild } from './bench/compile';
import { GIB, MB, rssSampler } from './bench/proc';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** Downloads a URL, counting wire bytes and (for gzip) decoded bytes. */
function download(url: string, token: string, gzip: boolean): Promise<{ wire: number; decoded: number; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (gzip) headers['Accept-Encoding'] = 'gzip';
    http
      .get(url, { headers }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode ?? 0}`));
        let wire = 0;
        let decoded = 0;
        res.on('data', (c: Buffer) => (wire += c.length));
        const body = gzip ? res.pipe(createGunzip()) : res;
        if (gzip) body.on('data', (c: Buffer) => (decoded += c.length));
        body.on('end', () => resolve({ wire, decoded: gzip ? decoded : wire, ms: Date.now() - started }));
        body.on('error', reject);
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main(): Promise<void> {
  const targetBytes = arg('gib', 1) * GIB;
  const budget = arg('budget-mb', 150) * MB;
  const underTsx = process.argv.includes('--tsx');
  // Under tsx: the child runs with this process's loader; otherwise its compiled copy runs with plain node.
  const script = underTsx
    ? `${__dirname}/bench/simulator-child.ts`
    : (await compileForChild('bench-simulator', ['packages/salesforce-simulator/src', 'scripts/bench'])).js(
        'scripts/bench/simulator-child.ts',
      );
  const sim = await startSimulatorChild(script, [], { execArgv: underTsx ? process.execArgv : [] });
  const { pid, url } = sim;
  const rss = rssSampler(pid);
  const fmt = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
  try {
    console.log(`simulator pid ${pid} (${underTsx ? 'tsx' : 'compiled JS'}) at ${url}; idle RSS ${fmt(rss.peak())}`);
    const control = new SimulatorControlClient(url);
    const sample = await control.addFile({ eventType: 'URI', logDate: '2026-11-26', interval: 'Daily', rows: 20_000 });
    const rows = Math.ceil(targetBytes / (sample.logFileLength / sample.rows));
    let t = Date.now();
    rss.reset();
    const big = await control.addFile({ eventType: 'URI', logDate: '2026-11-26', interval: 'Daily', rows });
    console.log(
      `added ${big.id}: ${rows} rows, LogFileLength ${big.logFileLength} (${fmt(big.logFileLength)}); ` +
        `length pass ${((Date.now() - t) / 1000).toFixed(1)} s, peak RSS ${fmt(rss.peak())}`,
    );
    const tokenRes = await fetch(`${url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'sim-client-id',
        client_secret: 'sim-client-secret',
      }),
    });
    const { access_token: token, instance_url: instance } = (await tokenRes.json()) as {
      access_token: string;
      instance_url: string;
    };
    const blobUrl = `${instance}/services/data/v62.0/sobjects/EventLogFile/${big.id}/LogFile`;
    for (const gzip of [false, true]) {
      rss.reset();
      t = Date.now();
      const r = await download(blobUrl, token, gzip);
      if (r.decoded !== big.logFileLength) throw new Error(`got ${r.decoded} bytes, expected ${big.logFileLength}`);
      const secs = r.ms / 1000;
      console.log(
        `${gzip ? 'gzip    ' : 'identity'}: ${fmt(r.decoded)} CSV in ${secs.toFixed(1)} s = ${(r.decoded / MB / secs).toFixed(1)} MB/s` +
          (gzip ? ` (${fmt(r.wire)} on the wire, ${(r.wire / MB / secs).toFixed(1)} MB/s)` : '') +
          `; peak RSS ${fmt(rss.peak())}`,
      );
    }
    const peak = rss.overall();
    console.log(`peak simulator RSS ${fmt(peak)} (budget ${fmt(budget)})`);
    if (peak > budget) {
      console.error('FAIL: peak RSS over budget');
      process.exitCode = 1;
    }
  } finally {
    rss.stop();
    await sim.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
