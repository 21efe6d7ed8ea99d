/**
 * `npm run bench -- --sinks [--sinks-mb 256]`: elfstream's ingest path on one generated URI file into each sink —
 * the file sink (gzip), s3 (gzip, versitygw on loopback), kafka (a KRaft broker on loopback) and http with the
 * panther preset (gzip, HMAC, into a receiver on loopback that reads and drops the bodies) — and each one's
 * throughput relative to the file sink. The servers share the machine with elfstream, so the ratios include their
 * CPU: they are a lower bound of what a remote server gives.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { OutputConfig } from '../../src/config/types';
import { SimulatorControlClient } from '@elfstream/salesforce-simulator';
import { runChild, startSimulatorChild, type ChildOutcome } from './child';
import { compileForChild, ROOT } from './compile';
import { addSizedFile } from './files';
import type { ElfstreamJob, Measurement } from './measure-child';
import { MB } from './proc';

/* eslint-disable @typescript-eslint/no-require-imports */
const { startVersitygw } = require('../versitygw.js') as {
  startVersitygw(o: { buckets: string[]; logFile?: string }): Promise<{
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
    stop(): Promise<void>;
  }>;
};
const { startKafkaBroker } = require('../kafka-broker.js') as {
  startKafkaBroker(o: { logFile?: string; heap?: string }): Promise<{ brokers: string[]; stop(): Promise<void> }>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

export interface SinkRow {
  sink: string;
  mbPerSec: number | null;
  seconds: number;
  /** CPU time of elfstream's process (not the server's): steadier than wall time on a busy machine. */
  cpuSeconds: number | null;
  rows: number;
  peakRssMb: number;
  /** mbPerSec / the file sink's. */
  ratio: number | null;
  error?: string;
}

function log(msg: string): void {
  process.stderr.write(`${msg}\n`);
}

/** A receiver that reads each request to its end and answers 200, counting bodies. */
async function startReceiver(): Promise<{ url: string; requests: () => number; stop(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      requests++;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/http/bench`,
    requests: () => requests,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}

export async function benchSinks(sizeMb: number): Promise<SinkRow[]> {
  log('compiling src/ and scripts/bench/ for the child processes');
  const tree = await compileForChild('bench', ['src', 'packages/salesforce-simulator/src', 'scripts/bench']);
  const script = tree.js('scripts/bench/measure-child.ts');
  const simScript = tree.js('scripts/bench/simulator-child.ts');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-bench-sinks-'));
  const logDir = path.join(ROOT, 'test-output');
  fs.mkdirSync(logDir, { recursive: true });
  const sim = await startSimulatorChild(simScript, ['--now', '2026-11-27T13:00:00Z', '--days', '1']);
  const [s3, kafka, receiver] = await Promise.all([
    startVersitygw({ buckets: ['bench'], logFile: path.join(logDir, 'bench-versitygw.log') }),
    startKafkaBroker({ logFile: path.join(logDir, 'bench-kafka.log'), heap: '1g' }),
    startReceiver(),
  ]);
  const rows: SinkRow[] = [];
  try {
    const control = new SimulatorControlClient(sim.url);
    const file = await addSizedFile(control, {
      eventType: 'URI',
      targetBytes: sizeMb * MB,
      label: `URI ${sizeMb} MB`,
      logDate: '2026-11-27T10:00:00Z',
    });
    log(`${file.label}: ${file.id}, ${file.rows} rows, ${(file.logFileLength / MB).toFixed(1)} MB of CSV`);
    const outputs: [string, OutputConfig | undefined][] = [
      ['file (gzip)', undefined],
      [
        's3 (gzip, versitygw)',
        {
          type: 's3',
          bucket: 'bench',
          prefix: 'sf/',
          region: 'us-east-1',
          endpoint: s3.endpoint,
          credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
          gzip: true,
        },
      ],
      [
        'kafka (transactional)',
        {
          type: 'kafka',
          brokers: kafka.brokers,
          topic: 'bench-events',
          topicPerEventType: false,
          topicPrefix: 'salesforce.',
          progressTopic: 'elfstream-progress',
          clientId: 'elfstream-bench',
          ssl: false,
        },
      ],
      [
        'http panther preset (gzip, HMAC)',
        {
          type: 'http',
          url: receiver.url,
          format: 'ndjson',
          gzip: true,
          batchSize: 100_000,
          headers: {},
          preset: 'panther',
          auth: {
            type: 'hmac',
            header: 'x-panther-signature',
            secret: 'bench-key',
            algorithm: 'sha256',
            encoding: 'hex',
          },
        },
      ],
    ];
    let jobs = 0;
    for (const [name, output] of outputs) {
      const outputDir = path.join(tmp, `out-${jobs}`);
      const job: ElfstreamJob = { sim, file, gzip: true, outputDir, ...(output ? { output } : {}) };
      const jobPath = path.join(tmp, `job-${++jobs}.json`);
      fs.writeFileSync(jobPath, JSON.stringify(job));
      log(`${name} …`);
      const out: ChildOutcome<Measurement> = await runChild<Measurement>(script, ['elfstream', jobPath], {
        timeoutMs: 30 * 60_000,
        onLine: (line) => log(`  ${line}`),
      });
      const m = out.result;
      const ok = m !== undefined && !('error' in m && (m as { error?: string }).error) && out.exitCode === 0;
      rows.push({
        sink: name,
        mbPerSec: ok ? m.bytes / MB / m.seconds : null,
        seconds: ok ? m.seconds : out.wallMs / 1000,
        cpuSeconds: ok ? m.cpuSeconds : null,
        rows: ok ? m.rows : 0,
        peakRssMb: out.peakRssBytes / MB,
        ratio: null,
        ...(ok ? {} : { error: out.stderrTail.split('\n').slice(-3).join(' ').slice(0, 300) }),
      });
      if (ok && m.rows !== file.rows) throw new Error(`${name}: ${m.rows} rows written, the file has ${file.rows}`);
      fs.rmSync(outputDir, { recursive: true, force: true });
    }
  } finally {
    await Promise.allSettled([s3.stop(), kafka.stop(), receiver.stop(), sim.stop()]);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const base = rows[0]?.mbPerSec ?? null;
  for (const r of rows) r.ratio = base && r.mbPerSec !== null ? r.mbPerSec / base : null;
  return rows;
}

export function renderSinksTable(rows: SinkRow[], sizeMb: number): string {
  const lines = [
    `Sinks on URI ${sizeMb} MB (CSV bytes per second; ratio to the file sink)`,
    '',
    '| sink | MB/s | ratio | seconds | elfstream CPU s | rows | peak RSS MB |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.sink} | ${r.mbPerSec?.toFixed(1) ?? `failed: ${r.error ?? ''}`} | ${r.ratio?.toFixed(2) ?? '-'} | ` +
        `${r.seconds.toFixed(1)} | ${r.cpuSeconds?.toFixed(1) ?? '-'} | ${r.rows} | ${r.peakRssMb.toFixed(0)} |`,
    );
  }
  return lines.join('\n');
}
