/**
 * Bounded at scale (ELFSTREAM_SCALE_TEST=1): a source with `eventTypes: ["*"]` starting 30 days back over an org with
 * 25 event types of hourly files (over 10,000 files) completes its first cycle, each file once, continuing-as-new
 * between listing pages as the server suggests. Records the largest history (events, bytes) and the largest payload
 * of any run of the source workflow, with the commit, in scale-result.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { sourceWorkflowId } from '../../src/workflows/ids';
import { duplicates, readFileSinkEvents } from '../helpers/output';
import {
  createSourceHarness,
  DAY,
  simulatedStart,
  startSourceWorkflow,
  waitForStatus,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

const SCALE = process.env.ELFSTREAM_SCALE_TEST === '1';
const DAYS = Number(process.env.ELFSTREAM_SCALE_DAYS ?? 30);
export const SCALE_RESULT = path.resolve(__dirname, 'scale-result.json');

const EVENT_TYPES = [
  'Login',
  'LoginAs',
  'Logout',
  'URI',
  'API',
  'ReportExport',
  'RestApi',
  'Report',
  'ApexExecution',
  'VisualforceRequest',
  'LightningPageView',
  'LightningInteraction',
  'BulkApi',
  'ApexCallout',
  'ContentTransfer',
  'ApexTrigger',
  'AuraRequest',
  'Dashboard',
  'Search',
  'Sites',
  'ApexSoap',
  'ApexRestApi',
  'CompositeApi',
  'UniqueQuery',
  'ContentDocumentLink',
];

interface RunSize {
  runId: string;
  events: number;
  bytes: number;
  largestPayloadBytes: number;
}

/** Every payload's data in a decoded history, however deep (inputs, results, signals, continue-as-new input). */
function largestPayload(node: unknown): number {
  if (!node || typeof node !== 'object') return 0;
  if (node instanceof Uint8Array) return 0;
  let max = 0;
  const data = (node as { data?: unknown }).data;
  if (data instanceof Uint8Array && (node as { metadata?: unknown }).metadata) max = data.length;
  for (const v of Object.values(node)) max = Math.max(max, largestPayload(v));
  return max;
}

async function runSizes(client: Client, workflowId: string): Promise<RunSize[]> {
  const sizes: RunSize[] = [];
  for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const handle = client.workflow.getHandle(workflowId, run.runId);
    const d = await handle.describe();
    const history = await handle.fetchHistory();
    sizes.push({
      runId: run.runId,
      events: d.historyLength,
      bytes: d.historySize ?? 0,
      largestPayloadBytes: largestPayload(history),
    });
  }
  return sizes;
}

(SCALE ? describe : describe.skip)('reliability: scale', () => {
  const t = useTestServer();

  it(
    `completes a first cycle of ${EVENT_TYPES.length} types × ${DAYS} days of hourly files, bounded`,
    async () => {
      const started = Date.now();
      const now = simulatedStart(1);
      const h = await createSourceHarness(t, {
        sourcePrefix: 'scale',
        sim: { now, days: DAYS + 1, rowsPerFile: { min: 1, max: 3 }, eventTypes: EVENT_TYPES },
        settings: {
          eventTypes: '["*"]',
          startFrom: new Date(Date.parse(now) - DAYS * DAY).toISOString(),
          concurrency: '16',
        },
      });
      try {
        const expected = h.sim.control
          .listFiles()
          .filter((f) => f.interval === 'Hourly' && f.createdDate >= h.config.sources[0]!.startFrom);
        // An hour without events of a type has no file: 25 types over 30 days make about 11,000 (ELFSTREAM_SCALE_DAYS
        // shortens a trial run).
        if (DAYS >= 30) expect(expected.length).toBeGreaterThanOrEqual(10_000);
        const status = await h.withWorker(async () => {
          const handle = await startSourceWorkflow(t, h);
          return waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 4 * 3600_000);
        });
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.failedFiles).toEqual([]);
        const events = readFileSinkEvents(h.outputDir);
        expect(duplicates(events.map((e) => e.p_row_id))).toEqual([]);
        expect(events.length).toBe(expected.reduce((n, f) => n + f.rows, 0));

        const runs = await runSizes(t.client, sourceWorkflowId(h.sourceId));
        const largest = runs.reduce((a, b) => (b.bytes > a.bytes ? b : a));
        const result = {
          commit: execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
          date: new Date().toISOString(),
          days: DAYS,
          files: expected.length,
          events: events.length,
          sourceRuns: runs.length,
          largestHistory: { runId: largest.runId, events: largest.events, bytes: largest.bytes },
          largestHistoryEvents: Math.max(...runs.map((r) => r.events)),
          largestPayloadBytes: Math.max(...runs.map((r) => r.largestPayloadBytes)),
          ledgerSize: status.ledgerSize,
          durationSeconds: Math.round((Date.now() - started) / 1000),
        };
        fs.writeFileSync(SCALE_RESULT, JSON.stringify(result, null, 2) + '\n');
        // Temporal's limits: 50,000 events / 50 MB per history, 2 MB per payload; stay well under them.
        expect(result.largestHistoryEvents).toBeLessThan(20_000);
        expect(result.largestPayloadBytes).toBeLessThan(512 * 1024);
      } finally {
        await h.close();
      }
    },
    5 * 3600_000,
  );
});
