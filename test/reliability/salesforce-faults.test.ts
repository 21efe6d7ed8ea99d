/**
 * §1 Salesforce and disk faults against one running source: 5xx bursts, connection resets in the middle of blobs,
 * slow bodies, sessions expiring every few requests, a file deleted between listing and download, the daily API
 * allowance used up and restored, and the sink's folder unusable for a while. After each, the output is compared
 * with the simulator's ground truth.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pollNowSignal } from '../../src/workflows/messages';
import { readFileSinkEvents } from '../helpers/output';
import {
  createSourceHarness,
  HOUR,
  simulatedStart,
  waitForStatus,
  startSourceWorkflow,
} from '../helpers/source-harness';
import { connectToTestServer, type TemporalTestContext } from '../helpers/temporal';
import {
  checkOutput,
  expectByteIdentical,
  expectedFiles,
  liveRange,
  scenario,
  sleep,
  strayTempFiles,
  until,
} from './support';
import type { SourceHarness } from '../helpers/source-harness';
import type { SourceStatus } from '../../src/workflows/messages';
import type { WorkflowHandle } from '@temporalio/client';
import type { salesforceSourceWorkflow } from '../../src/workflows';

describe('reliability: Salesforce and disk faults', () => {
  let t: TemporalTestContext;
  let h: SourceHarness;
  let handle: WorkflowHandle<typeof salesforceSourceWorkflow>;
  let stop: () => void;
  let running: Promise<void>;
  const deleted: string[] = [];

  beforeAll(async () => {
    t = await connectToTestServer();
    const now = simulatedStart();
    h = await createSourceHarness(t, {
      sourcePrefix: 'faults',
      sim: { now, days: 1 },
      settings: { startFrom: new Date(Date.parse(now) - 12 * HOUR).toISOString() },
    });
    // One in-process worker for the whole file; each scenario drives the same long-lived source.
    running = h.withWorker(() => new Promise<void>((resolve) => (stop = resolve)));
  });
  afterAll(async () => {
    stop?.();
    await running?.catch(() => undefined);
    await h?.close();
    await t?.close();
  });

  /** Ground truth after the latest cycle: every live file except the ones deleted by retention. */
  const truth = () => expectedFiles(h, liveRange(h), { exclude: deleted });

  async function cycle(n: number, timeoutMs = 120_000): Promise<SourceStatus> {
    return waitForStatus(handle, (s) => s.cycles >= n && s.state === 'waiting', timeoutMs);
  }

  scenario(
    {
      id: 'fault/salesforce-transient',
      scenario: 'Salesforce 5xx bursts, resets mid-blob, slow bodies, sessions expiring every few requests',
      injected:
        '503 burst on SOQL, 500/502 bursts on LogFile, 4 TCP resets after 60 KB of a blob, 2 blobs throttled to 150 KB/s, every session invalidated every ~8 requests throughout the cycle',
      compares:
        'cycle error-free; per-file row counts = ground truth for exactly the expected files; no duplicate p_row_id; chunks and manifests byte-identical; no temp files',
    },
    async (facts) => {
      const now = Date.parse(h.sim.control.now());
      // Big files so that resets land in the middle of a body and slow bodies take seconds.
      const big = [0, 1, 2, 3].map((i) =>
        h.sim.control.addFile({
          eventType: i % 2 ? 'URI' : 'Login',
          logDate: new Date(Math.floor(now / HOUR - 3 - i) * HOUR).toISOString(),
          interval: 'Hourly',
          rows: 4000,
          createdDate: new Date(now - (20 + i) * 60_000).toISOString(),
        }),
      );
      const c = h.sim.control;
      c.inject({ kind: 'http-error', status: 503, count: 3, pathContains: '/query' });
      c.inject({ kind: 'http-error', status: 500, count: 3, pathContains: '/LogFile' });
      c.inject({ kind: 'http-error', status: 502, count: 2, pathContains: '/LogFile' });
      for (const f of big.slice(0, 2)) c.inject({ kind: 'reset-blob', afterBytes: 60_000, count: 2, fileId: f.id });
      for (const f of big.slice(2)) c.inject({ kind: 'slow-blob', bytesPerSecond: 150_000, count: 1, fileId: f.id });
      let expiries = 0;
      const expirer = setInterval(() => {
        c.inject({ kind: 'expire-sessions', afterRequests: 8 });
        expiries += 1;
      }, 1000);
      try {
        handle = await startSourceWorkflow(t, h);
        const status = await cycle(1, 150_000);
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.failedFiles).toEqual([]);
        expect(status.lastError).toBeUndefined();
      } finally {
        clearInterval(expirer);
        c.clearFaults();
      }
      facts.sessionExpiries = expiries;
      facts.simulatorRequests = c.stats().requests;
      const expected = truth();
      for (const f of big) expect(expected.map((e) => e.id)).toContain(f.id);
      Object.assign(facts, checkOutput(h, expected));
      await expectByteIdentical(h, expected);
      expect(strayTempFiles(h.outputDir)).toEqual([]);
    },
    200_000,
  );

  scenario(
    {
      id: 'fault/file-deleted-before-download',
      scenario: 'A file deleted between listing and download',
      injected: 'delete-on-download: the blob answers 404 NOT_FOUND after the file was listed',
      compares:
        'status.failedFiles holds the file, permanent, with a reason naming it; checkpoint moves past it; every other file = ground truth, no duplicates',
    },
    async (facts) => {
      h.sim.control.advance(2 * HOUR);
      const now = Date.parse(h.sim.control.now());
      // The gone file is the oldest of the batch, so a blocked checkpoint would show.
      const gone = h.sim.control.addFile({
        eventType: 'Logout',
        logDate: new Date(Math.floor(now / HOUR - 2) * HOUR).toISOString(),
        interval: 'Hourly',
        rows: 30,
        createdDate: new Date(now - 50 * 60_000).toISOString(),
      });
      const after = h.sim.control.addFile({
        eventType: 'Login',
        logDate: new Date(Math.floor(now / HOUR - 2) * HOUR).toISOString(),
        interval: 'Hourly',
        rows: 25,
        createdDate: new Date(now - 40 * 60_000).toISOString(),
      });
      h.sim.control.inject({ kind: 'delete-on-download', fileId: gone.id });
      await handle.signal(pollNowSignal);
      const status = await cycle(2);
      deleted.push(gone.id);
      expect(status.lastCycle?.error).toBeUndefined();
      const failed = status.failedFiles.find((f) => f.fileId === gone.id);
      expect(failed).toMatchObject({ permanent: true, eventType: 'Logout' });
      expect(failed!.reason).toMatch(new RegExp(gone.id));
      expect(failed!.reason).toMatch(/not found|no longer exists|deleted|retention/i);
      facts.failedFileReason = failed!.reason;
      expect(status.failedFiles).toHaveLength(1);
      // The checkpoint is not held back by the gone file.
      expect(status.checkpoint!.createdDate >= after.createdDate).toBe(true);
      expect(h.sim.control.listFiles().some((f) => f.id === gone.id)).toBe(false);
      Object.assign(facts, checkOutput(h, truth()));
    },
  );

  scenario(
    {
      id: 'fault/api-allowance-exhausted',
      scenario: 'Daily API allowance used up, then restored',
      injected:
        "org apiUsed = 95% of apiLimit (inside elfstream's 10% reserve); then = apiLimit (REST answers 403 REQUEST_LIMIT_EXCEEDED); later apiUsed = 0",
      compares:
        'while at the reserve and while exhausted: status.lastError and lastCycle.error name the allowance, the source waits (no busy retry), nothing new written; after restore + pollNow: the cycle completes and output = ground truth, no duplicates',
    },
    async (facts) => {
      const before = checkOutput(h, truth());
      h.sim.control.advance(3 * HOUR);
      const { apiLimit } = h.sim.control.stats();
      // First only elfstream's reserve (apiReserve 0.1) is reached: login works, listing refuses to spend more.
      h.sim.control.setOrg({ apiUsed: Math.ceil(apiLimit * 0.95) });
      await handle.signal(pollNowSignal);
      const reserved = await waitForStatus(
        handle,
        (s) => s.cycles >= 3 && s.state === 'waiting' && /daily API requests/.test(s.lastError?.message ?? ''),
        30_000,
      );
      expect(reserved.lastError!.message).toMatch(/more than the 90% elfstream may use \(apiReserve 0.1\)/);
      expect(reserved.nextRunAt).toBeDefined();
      facts.statusAtReserve = reserved.lastError!.message;
      expect(readFileSinkEvents(h.outputDir)).toHaveLength(before.rows);
      // Then the allowance itself: Salesforce answers 403 REQUEST_LIMIT_EXCEEDED.
      h.sim.control.setOrg({ apiUsed: apiLimit });
      await handle.signal(pollNowSignal);
      const exhausted = await waitForStatus(
        handle,
        (s) => s.cycles >= 4 && s.state === 'waiting' && /API request/.test(s.lastError?.message ?? ''),
        30_000,
      );
      expect(exhausted.lastCycle?.error).toMatch(/REQUEST_LIMIT_EXCEEDED/);
      expect(exhausted.lastError!.message).toMatch(/allowance is used up/);
      facts.statusWhileExhausted = exhausted.lastError!.message;
      // It waits: no request storm while the allowance is gone.
      const requests = h.sim.control.stats().requests;
      await sleep(3000);
      expect(h.sim.control.stats().requests - requests).toBeLessThan(3);
      expect(readFileSinkEvents(h.outputDir)).toHaveLength(before.rows);

      h.sim.control.setOrg({ apiUsed: 0 });
      await handle.signal(pollNowSignal);
      const restored = await cycle(5);
      expect(restored.lastCycle?.error).toBeUndefined();
      expect(restored.lastCycle!.filesIngested).toBeGreaterThan(0);
      Object.assign(facts, checkOutput(h, truth()));
    },
  );

  scenario(
    {
      id: 'fault/sink-unwritable',
      scenario: "The sink's output folder unusable, then usable again",
      injected:
        "the source's folder inside the output dir replaced by a regular file for ~8 s while a cycle ingests (root ignores chmod, so ENOTDIR instead)",
      compares:
        'files retried until the folder is back; cycle error-free; per-file row counts = ground truth for every file of every cycle; no duplicate p_row_id; byte-identical; no temp files',
    },
    async (facts) => {
      const sourceDir = path.join(h.outputDir, h.sourceId);
      const aside = path.join(h.tmpDir, 'aside');
      fs.renameSync(sourceDir, aside);
      fs.writeFileSync(sourceDir, 'not a directory\n');
      h.sim.control.advance(3 * HOUR);
      await handle.signal(pollNowSignal);
      // Attempts fail while the path is a file.
      await until(async () => (await statusOf()).filesInFlight.length > 0, 'files in flight');
      await sleep(8000);
      const during = await statusOf();
      expect(during.cycles).toBe(5);
      facts.filesInFlightDuringOutage = during.filesInFlight.length;
      fs.rmSync(sourceDir);
      fs.renameSync(aside, sourceDir);
      const status = await cycle(6, 150_000);
      expect(status.lastCycle?.error).toBeUndefined();
      expect(status.failedFiles.filter((f) => !deleted.includes(f.fileId))).toEqual([]);
      const expected = truth();
      Object.assign(facts, checkOutput(h, expected));
      await expectByteIdentical(h, expected);
      expect(strayTempFiles(h.outputDir)).toEqual([]);
      await handle.terminate('test done');
    },
    200_000,
  );

  async function statusOf(): Promise<SourceStatus> {
    return handle.query<SourceStatus>('status');
  }
});
