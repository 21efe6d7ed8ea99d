/** `elfstream worker` serves Temporal's and elfstream's own metrics on the configured Prometheus port. */
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/temporal/dev-server';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { createSourceHarness, harnessEnv, waitForStatus, startSourceWorkflow } from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess } from '../helpers/worker-process';

describe('worker metrics', () => {
  const t = useTestServer();

  it('exposes events, files, bytes, ingest lag and Salesforce API usage per source', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'metrics', sim: { days: 1 } });
    const port = await freePort();
    fs.appendFileSync(h.configPath, `\nmetrics:\n  port: ${port}\n`);
    const worker = startWorkerProcess(
      h.configPath,
      harnessEnv(h.sim),
      path.join(OUTPUT_DIR, `worker-metrics-${h.sourceId}.log`),
    );
    try {
      await worker.ready;
      const handle = await startSourceWorkflow(t, h);
      const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const sample = (name: string): number[] =>
        text
          .split('\n')
          .filter((l) => l.startsWith(name) && l.includes(`source_id="${h.sourceId}"`))
          .map((l) => Number(l.split(' ').pop()));
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      expect(sum(sample('elfstream_events'))).toBe(status.totals.rows);
      expect(sum(sample('elfstream_files'))).toBe(status.totals.files);
      expect(sum(sample('elfstream_bytes'))).toBeGreaterThan(0);
      expect(sample('elfstream_ingest_lag').length).toBeGreaterThan(0);
      expect(sample('elfstream_salesforce_api_used')[0]).toBeGreaterThan(0);
      expect(text).toMatch(/temporal_activity_execution_latency|temporal_workflow_completed/);
      await handle.terminate('test done');
    } finally {
      await worker.kill('SIGTERM');
      await h.close();
    }
  });
});
