/**
 * Benchmark of the simulator's LogFile endpoint: adds a generated ~1 GiB URI file, downloads it over loopback with
 * identity and with gzip, and samples the simulator's RSS meanwhile. The simulator runs in a child process so its
 * memory is measured alone. Exits non-zero when its peak RSS exceeds the budget.
 *
 *   npx tsx scripts/bench-simulator.ts [--gib 1] [--budget-mb 150] [--tsx]
 *
 * The child runs the simulator compiled to JavaScript (with the TypeScript compiler, into test-output/), as the
 * product runs it; `--tsx` runs it under tsx instead, whose loader thread alone adds about 50 MB of RSS.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { SimulatorControlClient, startSimulator } from '../src/simulator';

const MB = 1024 * 1024;
const GIB = 1024 * MB;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** Child mode: run a simulator until told to stop; print its URL. */
async function child(): Promise<void> {
  const sim = await startSimulator({ now: '2026-11-27T13:00:00Z', days: 1 });
  process.stdout.write(`READY ${sim.url}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Resident set size of a process in bytes (Linux /proc, else ps). */
function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux: fall back to ps
  }
  return (
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) * 1024
  );
}

/** Samples a process's RSS every 50 ms; `peak()` is the highest seen since the last `reset()`. */
function rssSampler(pid: number) {
  let peak = 0;
  let overall = 0;
  const sample = () => {
    try {
      const rss = rssOf(pid);
      peak = Math.max(peak, rss);
      overall = Math.max(overall, rss);
    } catch {
      // the process is gone
    }
  };
  sample();
  const timer = setInterval(sample, 50);
  return {
    peak: () => (sample(), peak),
    overall: () => (sample(), overall),
    reset: () => {
      peak = 0;
      sample();
    },
    stop: () => clearInterval(timer),
  };
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

/** Compiles src/simulator and this script to CommonJS under test-output/ (resolving node_modules from there). */
async function compileForChild(): Promise<string> {
  // Loaded here only: the child runs this file too and must not carry the compiler in its memory.
  const ts = (await import('typescript')).default;
  const root = path.resolve(__dirname, '..');
  const out = path.join(root, 'test-output', 'bench-simulator');
  const compile = (from: string, to: string) => {
    const js = ts.transpileModule(fs.readFileSync(from, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, js);
  };
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  for (const file of walk(path.join(root, 'src', 'simulator')).filter((f) => f.endsWith('.ts'))) {
    compile(file, path.join(out, path.relative(root, file)).replace(/\.ts$/, '.js'));
  }
  compile(__filename, path.join(out, 'scripts', 'bench-simulator.js'));
  return path.join(out, 'scripts', 'bench-simulator.js');
}

async function startChild(underTsx: boolean): Promise<{ proc: ChildProcess; url: string }> {
  // Under tsx: re-run this file with the same loader; otherwise run the compiled copy with plain node.
  const argv = underTsx ? [...process.execArgv, __filename, '--child'] : [await compileForChild(), '--child'];
  const proc = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`simulator exited early (${code ?? 'signal'})`)));
    createInterface({ input: proc.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const m = /^READY (\S+)$/.exec(line);
      if (m?.[1]) resolve({ proc, url: m[1] });
    });
  });
}

async function main(): Promise<void> {
  const targetBytes = arg('gib', 1) * GIB;
  const budget = arg('budget-mb', 150) * MB;
  const underTsx = process.argv.includes('--tsx');
  const { proc, url } = await startChild(underTsx);
  const pid = proc.pid ?? 0;
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
    proc.removeAllListeners('exit');
    proc.kill('SIGTERM');
  }
}

if (process.argv.includes('--child')) {
  child().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
