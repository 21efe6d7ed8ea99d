/**
 * The http sink is at-least-once: after a worker SIGKILL mid-file and collector 5xx bursts, a receiving server that
 * counts deliveries holds exactly the ground truth's set of `p_row_id`s, and the duplicate deliveries (rows received
 * more than once, which a receiver drops by `Idempotency-Key` or `p_row_id`) are counted and reported.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { runIngest } from '../../src/ingest/pipeline';
import type { SimFileSummary } from '@elfstream/salesforce-simulator';
import { FileSink } from '../../src/sinks';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { readFileSinkEvents } from '../helpers/output';
import {
  createSourceHarness,
  harnessEnv,
  simulatedStart,
  startFromWithFiles,
  startSourceWorkflow,
  waitForStatus,
  type SourceHarness,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { expectedFiles, liveRange, scenario, sleep, until } from './support';

/** A collector: counts every delivery of every row, and answers 503 to the next `failNext` requests. */
class CountingCollector {
  readonly deliveries = new Map<string, number>();
  readonly fileOf = new Map<string, string>();
  requests = 0;
  rejected = 0;
  failNext = 0;
  private server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      this.requests += 1;
      if (this.failNext > 0) {
        this.failNext -= 1;
        this.rejected += 1;
        res.writeHead(503, { 'content-type': 'text/plain' }).end('collector overloaded');
        return;
      }
      const raw = Buffer.concat(parts);
      const body = req.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(raw) : raw;
      for (const line of body.toString('utf8').split('\n')) {
        if (!line) continue;
        const e = JSON.parse(line) as { p_row_id: string; p_source_file: { id: string } };
        this.deliveries.set(e.p_row_id, (this.deliveries.get(e.p_row_id) ?? 0) + 1);
        this.fileOf.set(e.p_row_id, e.p_source_file.id);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ingest`;
  }

  rows(): number {
    return this.deliveries.size;
  }

  /** Deliveries beyond the first of each row. */
  duplicates(): number {
    let n = 0;
    for (const c of this.deliveries.values()) n += c - 1;
    return n;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** Ground truth: the `p_row_id`s of `files`, by an independent ingestion of each into a scratch folder. */
async function groundTruthRowIds(h: SourceHarness, files: SimFileSummary[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(h.tmpDir, 'truth-'));
  const sink = new FileSink({ dir, durable: false });
  for (const f of files) {
    await runIngest({
      open: async () => h.sim.control.fileCsv(f.id),
      file: {
        sourceId: h.sourceId,
        orgId: h.sim.orgId,
        fileId: f.id,
        eventType: f.eventType,
        logDate: f.logDate,
        interval: f.interval,
        sequence: f.sequence,
      },
      context: { sourceLabel: h.config.sources[0]!.label, parseTime: new Date().toISOString() },
      sink,
      chunkRows: 1000,
    });
  }
  return readFileSinkEvents(dir).map((e) => e.p_row_id);
}

describe('reliability: http sink', () => {
  const t = useTestServer();

  scenario(
    {
      id: 'fault/http-sink-sigkill-5xx',
      scenario: 'http sink: worker SIGKILLed mid-file and collector 5xx bursts',
      injected:
        'a receiving server answering 503 to bursts of requests (at the start and after the kill); the worker process SIGKILLed once rows of a file have been delivered; a new worker process',
      compares:
        "set of p_row_id received = ground truth's (an independent ingestion of the expected files); rows per file = the simulator's; duplicate deliveries counted and reported (at-least-once)",
    },
    async (facts) => {
      const collector = new CountingCollector();
      const url = await collector.listen();
      const now = simulatedStart();
      const h = await createSourceHarness(t, {
        sourcePrefix: 'httpsink',
        sim: { now, days: 1, rowsPerFile: { min: 1500, max: 4000 } },
        settings: (sim) => ({ startFrom: startFromWithFiles(sim, 5, 8) }),
        output: { type: 'http', url, format: 'ndjson', gzip: 'true', batchSize: '200' },
      });
      const workers: WorkerProcess[] = [];
      const logFile = path.join(OUTPUT_DIR, `reliability-http-sink-${h.sourceId}.log`);
      try {
        const expected = expectedFiles(h, liveRange(h));
        expect(expected.length).toBeGreaterThanOrEqual(8);
        // Slow bodies, so the kill lands inside a file.
        h.sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 400_000, count: 10_000 });
        collector.failNext = 5;
        let worker = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
        workers.push(worker);
        await worker.ready;
        const handle = await startSourceWorkflow(t, h);
        await until(() => collector.rows() > 0, 'a first delivered batch', 120_000);
        await sleep(1500);
        const rowsAtKill = collector.rows();
        await worker.kill('SIGKILL');
        collector.failNext = 5;
        worker = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
        workers.push(worker);
        await worker.ready;
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 300_000);
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.failedFiles).toEqual([]);

        const truth = await groundTruthRowIds(h, expected);
        expect(truth).toHaveLength(expected.reduce((n, f) => n + f.rows, 0));
        expect([...collector.deliveries.keys()].sort()).toEqual([...truth].sort());
        const rowsByFile: Record<string, number> = {};
        for (const file of collector.fileOf.values()) rowsByFile[file] = (rowsByFile[file] ?? 0) + 1;
        expect(rowsByFile).toEqual(Object.fromEntries(expected.map((f) => [f.id, f.rows])));
        expect(collector.rejected).toBe(10);
        Object.assign(facts, {
          files: expected.length,
          rows: truth.length,
          rowsDeliveredBeforeKill: rowsAtKill,
          requests: collector.requests,
          rejected503: collector.rejected,
          duplicateDeliveries: collector.duplicates(),
        });
        await handle.terminate('test done');
      } finally {
        for (const w of workers) await w.kill('SIGKILL');
        await collector.close();
        await h.close();
      }
    },
    420_000,
  );
});
