/**
 * §3 Load (only with ELFSTREAM_LOAD=1; its result is kept in test/reliability/load-result.json and rendered into
 * RELIABILITY.md): 20 sources of one simulated org on one worker, each backfilling 30 days of hourly files of 4
 * event types at once. The per-file ledger makes each file land once whichever source gets it first, and every
 * workflow run's history stays bounded by continue-as-new.
 *
 *   ELFSTREAM_LOAD=1 npx jest test/reliability/load.test.ts
 *   (ELFSTREAM_LOAD_SOURCES, ELFSTREAM_LOAD_DAYS scale it down for a quick try)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../../src/config';
import { startSimulator } from '@elfstream/salesforce-simulator';
import { createElfstreamWorker } from '../../src/worker';
import { backfillSignal } from '../../src/workflows/messages';
import {
  DAY,
  harnessEnv,
  simulatedStart,
  waitForStatus,
  type SourceHarness,
  startSourceWorkflow,
} from '../helpers/source-harness';
import { uniqueTaskQueue, workflowBundlePath, useTestServer } from '../helpers/temporal';
import { currentCommit } from '../../scripts/git-commit';
import { checkOutput, scenario, TYPES } from './support';

const LOAD = process.env.ELFSTREAM_LOAD === '1';
const SOURCES = Number(process.env.ELFSTREAM_LOAD_SOURCES ?? 20);
const DAYS = Number(process.env.ELFSTREAM_LOAD_DAYS ?? 30);
export const LOAD_RESULT = path.resolve(__dirname, 'load-result.json');

(LOAD ? describe : describe.skip)('reliability: load', () => {
  const t = useTestServer();

  scenario(
    {
      id: 'load/20-sources-30-day-backfill',
      scenario: `Load: ${SOURCES} sources on one worker, ${DAYS}-day hourly backfill of 4 event types each`,
      injected: `${SOURCES} sources of one simulated org on one worker, each sent a backfill of ${DAYS} days (4 types, hourly) at the same moment`,
      compares:
        'per-file row counts = ground truth for every hourly file of the range, each once across all sources; no duplicate p_row_id; every backfill completed; the longest history of any run of a source or backfill workflow stays under 10,000 events (continue-as-new)',
    },
    async (facts) => {
      const started = Date.now();
      const now = simulatedStart(1);
      const sim = await startSimulator({
        seed: 7,
        days: DAYS + 1,
        now,
        rowsPerFile: { min: 2, max: 8 },
        eventTypes: TYPES,
      });
      const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-load-'));
      const outputDir = path.join(tmpDir, 'events');
      const taskQueue = uniqueTaskQueue('load');
      const ids = Array.from({ length: SOURCES }, (_, i) => `load-${String(i).padStart(2, '0')}`);
      const c = sim.credentials;
      const yaml = `
temporal:
  address: ${process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS}
  taskQueue: ${taskQueue}
output:
  type: file
  dir: ${outputDir}
sources:
${ids
  .map(
    (id) => `  - id: ${id}
    salesforce:
      loginUrl: ${sim.url}
      apiVersion: "62.0"
      auth:
        type: password
        username: ${c.username}
        password: \${SF_PASSWORD}
        securityToken: \${SF_TOKEN}
    eventTypes: [${TYPES.join(', ')}]
    interval: Hourly
    schedule: "0 0 1 1 *"
    startFrom: ${now}
    concurrency: 4`,
  )
  .join('\n')}
`;
      const configPath = path.join(tmpDir, 'elfstream.yaml');
      fs.writeFileSync(configPath, yaml);
      const config = parseConfig(yaml, { path: configPath, env: harnessEnv(sim), cwd: tmpDir });
      const { worker } = await createElfstreamWorker({
        config,
        connection: t.nativeConnection,
        client: t.client,
        workflowBundlePath: workflowBundlePath(),
        maxConcurrentActivities: 32,
      });
      let outcome: { result: 'pass' | 'fail'; error?: string } = { result: 'pass' };
      try {
        await worker.runUntil(async () => {
          const from = new Date(Date.parse(now) - DAYS * DAY).toISOString();
          const handles = [];
          for (const id of ids) {
            const h = await startSourceWorkflow(t, { sourceId: id, taskQueue } as SourceHarness);
            await waitForStatus(h, (s) => s.cycles >= 1 && s.state === 'waiting', 120_000);
            handles.push(h);
          }
          for (const h of handles) await h.signal(backfillSignal, { from, to: now });
          let totalIngested = 0;
          for (const h of handles) {
            const s = await waitForStatus(h, (x) => x.backfills.some((b) => b.state !== 'running'), 3 * 3600_000);
            const b = s.backfills[0]!;
            expect(b.state).toBe('completed');
            expect(b.filesIngested + b.filesSkipped).toBe(b.filesListed);
            totalIngested += b.filesIngested;
          }
          const expected = sim.control
            .listFiles()
            .filter(
              (f) => f.interval === 'Hourly' && TYPES.includes(f.eventType) && f.logDate >= from && f.logDate < now,
            );
          facts.expectedFiles = expected.length;
          facts.filesIngestedByAllBackfills = totalIngested;
          expect(totalIngested).toBe(expected.length);
          const h = { outputDir } as SourceHarness;
          Object.assign(facts, checkOutput(h, expected));

          // History bounded: every run of every source and backfill workflow.
          let maxHistory = 0;
          let runs = 0;
          let backfillRuns = 0;
          for await (const w of t.client.workflow.list({ query: `TaskQueue = "${taskQueue}"` })) {
            if (w.type === 'eventLogFileWorkflow') continue;
            runs += 1;
            if (w.type === 'eventLogBackfillWorkflow') backfillRuns += 1;
            maxHistory = Math.max(maxHistory, w.historyLength);
          }
          facts.sourceAndBackfillRuns = runs;
          facts.backfillRuns = backfillRuns;
          facts.maxHistoryEvents = maxHistory;
          expect(maxHistory).toBeLessThan(10_000);
          for (const x of handles) await x.terminate('load test done');
        });
      } catch (err) {
        outcome = { result: 'fail', error: (err as Error).message.split('\n')[0] };
        throw err;
      } finally {
        await sim.close();
        fs.rmSync(tmpDir, { recursive: true, force: true });
        facts.wallSeconds = Math.round((Date.now() - started) / 1000);
        facts.cpus = os.cpus().length;
        fs.writeFileSync(
          LOAD_RESULT,
          JSON.stringify(
            { sources: SOURCES, days: DAYS, at: new Date().toISOString(), commit: currentCommit(), ...outcome, facts },
            null,
            2,
          ) + '\n',
        );
      }
    },
    4 * 3600_000,
  );
});
