/**
 * The file ledger is per source: a second source reading an org that another source already reads gets every file,
 * and a source that ingested under the old org-scoped ledger ids does not ingest those files again.
 */
import { startSource } from '../../src/cli/start-sources';
import type { ElfstreamConfig } from '../../src/config/types';
import { createElfstreamWorker } from '../../src/worker';
import type { EventLogFileMeta } from '../../src/salesforce/types';
import type { SimFileSummary } from '@elfstream/salesforce-simulator';
import { eventLogFileWorkflow, salesforceSourceWorkflow } from '../../src/workflows';
import { legacyFileWorkflowId } from '../../src/workflows/ids';
import { SOURCE_ID } from '../../src/workflows/search-attributes';
import { initialState } from '../../src/workflows/source-state';
import { duplicates, readFileSinkEvents, type OutputEvent } from '../helpers/output';
import {
  createSourceHarness,
  HARNESS_EVENT_TYPES as TYPES,
  waitForStatus,
  type SourceHarness,
} from '../helpers/source-harness';
import { useTestServer, workflowBundlePath, type TemporalTestContext } from '../helpers/temporal';

function expectedFiles(h: SourceHarness): SimFileSummary[] {
  const startFrom = h.config.sources[0]!.startFrom;
  return h.sim.control
    .listFiles()
    .filter((f) => f.interval === 'Hourly' && TYPES.includes(f.eventType) && f.createdDate >= startFrom);
}

/** Rows per file id that `sourceId` wrote, and no row twice. */
function rowsByFile(events: OutputEvent[], sourceId: string): Record<string, number> {
  const mine = events.filter((e) => e.p_source_id === sourceId);
  expect(duplicates(mine.map((e) => e.p_row_id))).toEqual([]);
  const rows: Record<string, number> = {};
  for (const e of mine) {
    const id = (e.p_source_file as { id: string }).id;
    rows[id] = (rows[id] ?? 0) + 1;
  }
  return rows;
}

/** The harness's configuration with a second source for the same org (another id, same credentials). */
function withSecondSource(h: SourceHarness, secondId: string): ElfstreamConfig {
  const first = h.config.sources[0]!;
  return { ...h.config, sources: [first, { ...first, id: secondId, label: 'Second SIEM' }] };
}

async function withWorker<T>(t: TemporalTestContext, config: ElfstreamConfig, fn: () => Promise<T>): Promise<T> {
  const { worker } = await createElfstreamWorker({
    config,
    connection: t.nativeConnection,
    client: t.client,
    workflowBundlePath: workflowBundlePath(),
  });
  return worker.runUntil(fn);
}

const rowsOf = (files: SimFileSummary[]): Record<string, number> =>
  Object.fromEntries(files.map((f) => [f.id, f.rows]));

describe('file ledger', () => {
  const t = useTestServer();

  it('delivers every file to a second source of the same org', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'first' });
    const secondId = `second-${h.sourceId.split('-')[1]}`;
    const config = withSecondSource(h, secondId);
    const first = config.sources[0]!;
    try {
      await withWorker(t, config, async () => {
        const expected = expectedFiles(h);
        expect(expected.length).toBeGreaterThan(10);
        const a = await startSource(t.client, config, config.sources[0]!);
        const handleA = t.client.workflow.getHandle<typeof salesforceSourceWorkflow>(a.workflowId);
        await waitForStatus(handleA, (s) => s.cycles >= 1 && s.state === 'waiting', 120_000);

        const b = await startSource(t.client, config, config.sources[1]!);
        const handleB = t.client.workflow.getHandle<typeof salesforceSourceWorkflow>(b.workflowId);
        const status = await waitForStatus(handleB, (s) => s.cycles >= 1 && s.state === 'waiting', 120_000);
        expect(status.lastCycle).toMatchObject({
          filesListed: expected.length,
          filesIngested: expected.length,
          filesAlreadyDone: 0,
        });
        const events = readFileSinkEvents(h.outputDir);
        expect(rowsByFile(events, first.id)).toEqual(rowsOf(expected));
        expect(rowsByFile(events, secondId)).toEqual(rowsOf(expected));
        await handleA.terminate('test done');
        await handleB.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });

  it('does not ingest again what a source wrote under org-scoped ledger ids before the change', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'legacy' });
    const otherId = `other-${h.sourceId.split('-')[1]}`;
    try {
      await withWorker(t, withSecondSource(h, otherId), async () => {
        const expected = expectedFiles(h);
        const orgId = h.sim.orgId;
        // What the old code left behind: completed file workflows under `elfstream-file-<orgId>-<fileId>`, three by
        // this source and one by another source of the org (which this source must still ingest).
        const legacy = expected.slice(0, 4);
        for (const [i, f] of legacy.entries()) {
          const sourceId = i < 3 ? h.sourceId : otherId;
          const file: EventLogFileMeta = { ...f, interval: 'Hourly' };
          await t.client.workflow.execute(eventLogFileWorkflow, {
            taskQueue: h.taskQueue,
            workflowId: legacyFileWorkflowId(orgId, f.id),
            args: [{ sourceId, orgId, file }],
            typedSearchAttributes: [{ key: SOURCE_ID, value: sourceId }],
          });
        }
        const written = readFileSinkEvents(h.outputDir);
        expect(Object.keys(rowsByFile(written, h.sourceId))).toHaveLength(3);

        // The source's state as an old run handed it over (no ledger scope: it predates the change).
        const oldState = initialState();
        const started = await t.client.workflow.start(salesforceSourceWorkflow, {
          taskQueue: h.taskQueue,
          workflowId: `elfstream-source-${h.sourceId}`,
          args: [{ sourceId: h.sourceId, state: oldState }],
        });
        const status = await waitForStatus(started, (s) => s.cycles >= 1 && s.state === 'waiting', 120_000);
        expect(status.lastCycle).toMatchObject({
          filesListed: expected.length,
          filesIngested: expected.length - 3,
          filesAlreadyDone: 3,
        });
        expect(rowsByFile(readFileSinkEvents(h.outputDir), h.sourceId)).toEqual(rowsOf(expected));
        await started.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });
});
