/**
 * §1 The Temporal server itself dies (SIGKILL) in the middle of a cycle and comes back on its SQLite file at the
 * same address: the worker process rides it out, the cycle finishes, every file is in the output exactly once and
 * byte-identical, and the source keeps polling afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, freePort, type DevServer } from '../../src/temporal/dev-server';
import { pollNowSignal } from '../../src/workflows/messages';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { walk } from '../helpers/output';
import {
  createSourceHarness,
  harnessEnv,
  HOUR,
  simulatedStart,
  waitForStatus,
  startSourceWorkflow,
} from '../helpers/source-harness';
import { connectToTestServer } from '../helpers/temporal';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { checkOutput, expectByteIdentical, expectedFiles, liveRange, scenario, sleep, strayTempFiles } from './support';

describe('reliability: Temporal server restart', () => {
  scenario(
    {
      id: 'fault/temporal-server-restart',
      scenario: 'Temporal dev server SIGKILLed mid-cycle and restarted on its SQLite file',
      injected:
        'SIGKILL of `temporal server start-dev --db-filename` while files stream; down ~3 s; restarted at the same address; then another cycle',
      compares:
        'per-file row counts = ground truth for exactly the expected files (both cycles); no duplicate p_row_id; chunks and manifests byte-identical; worker process survived the outage',
    },
    async (facts) => {
      const cliPath = process.env.ELFSTREAM_TEST_TEMPORAL_CLI!;
      const dbDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-temporal-db-'));
      const dbFilename = path.join(dbDir, 'temporal.sqlite');
      const port = await freePort();
      const log = fs.createWriteStream(path.join(OUTPUT_DIR, 'reliability-server-restart.log'));
      const start = (): Promise<DevServer> =>
        startDevServer({ cliPath, port, dbFilename, headless: true, output: log, logLevel: 'warn' });
      let server = await start();
      const t = await connectToTestServer(server.address);
      const now = simulatedStart();
      const h = await createSourceHarness(t, {
        sourcePrefix: 'srvrestart',
        temporalAddress: server.address,
        sim: { now, days: 1, rowsPerFile: { min: 1200, max: 4000 } },
        settings: { startFrom: new Date(Date.parse(now) - 8 * HOUR).toISOString() },
      });
      const workers: WorkerProcess[] = [];
      try {
        h.sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 600_000, count: 10_000 });
        const worker = startWorkerProcess(h.configPath, harnessEnv(h.sim));
        workers.push(worker);
        await worker.ready;
        const handle = await startSourceWorkflow(t, h);
        const chunks = (): number => walk(h.outputDir).filter((p) => /part-\d+\.ndjson\.gz$/.test(p)).length;
        const deadline = Date.now() + 60_000;
        while (chunks() < 6) {
          if (Date.now() > deadline) throw new Error(`no progress before the restart:\n${worker.output()}`);
          await sleep(100);
        }
        facts.chunksOnDiskAtKill = chunks();
        server.process.kill('SIGKILL');
        await new Promise<void>((r) =>
          server.process.exitCode !== null || server.process.signalCode !== null
            ? r()
            : server.process.once('exit', () => r()),
        );
        await sleep(3000);
        server = await start();
        facts.serverDownMs = 3000;

        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 180_000);
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.failedFiles).toEqual([]);
        const first = expectedFiles(h, liveRange(h));
        expect(first.length).toBeGreaterThanOrEqual(10);
        expect(status.totals.files).toBe(first.length);
        checkOutput(h, first);

        // The source is still alive on the restarted server: a later cycle picks up new files.
        h.sim.control.clearFaults();
        h.sim.control.advance(3 * HOUR);
        await handle.signal(pollNowSignal);
        const second = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting', 120_000);
        expect(second.lastCycle?.error).toBeUndefined();
        const all = expectedFiles(h, liveRange(h));
        expect(all.length).toBeGreaterThan(first.length);
        Object.assign(facts, checkOutput(h, all));
        await expectByteIdentical(h, all);
        expect(strayTempFiles(h.outputDir)).toEqual([]);
        expect(worker.child.exitCode).toBeNull();
        facts.workerSurvived = worker.child.exitCode === null;
        await handle.terminate('test done');
      } finally {
        for (const w of workers) await w.kill('SIGKILL');
        await h.close();
        await t.close();
        await server.stop();
        log.end();
        fs.rmSync(dbDir, { recursive: true, force: true });
      }
    },
    300_000,
  );
});
