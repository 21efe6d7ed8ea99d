/**
 * The per-source workflow on the real dev server, with real activities, against the simulator: nothing missed,
 * nothing twice, as files appear over (simulated) time; pause/resume/pollNow/backfill; continue-as-new.
 */
import type { SimFileSummary } from '@elfstream/salesforce-simulator';
import { startSource } from '../../src/cli/start-sources';
import type { salesforceSourceWorkflow } from '../../src/workflows';
import { backfillSignal, pauseSignal, pollNowSignal, resumeSignal } from '../../src/workflows/messages';
import { duplicates, readFileSinkEvents, type OutputEvent } from '../helpers/output';
import {
  createSourceHarness,
  DAY,
  HARNESS_EVENT_TYPES as TYPES,
  HOUR,
  waitForStatus,
  type SourceHarness,
  startSourceWorkflow,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

/** Ground truth: the hourly files of the configured types the source should have ingested by now. */
function expectedFiles(h: SourceHarness, startFrom: string, settledBefore: string): SimFileSummary[] {
  return h.sim.control
    .listFiles()
    .filter(
      (f) =>
        f.interval === 'Hourly' &&
        TYPES.includes(f.eventType) &&
        f.createdDate >= startFrom &&
        f.createdDate <= settledBefore,
    );
}

/** Every expected file's rows are in the output exactly once, and nothing else is. */
function expectExactlyOnce(events: OutputEvent[], files: SimFileSummary[]): void {
  expect(duplicates(events.map((e) => e.p_row_id))).toEqual([]);
  const rowsByFile = new Map<string, number>();
  for (const e of events) {
    const id = (e.p_source_file as { id: string }).id;
    rowsByFile.set(id, (rowsByFile.get(id) ?? 0) + 1);
  }
  expect(Object.fromEntries(rowsByFile)).toEqual(Object.fromEntries(files.map((f) => [f.id, f.rows])));
}

describe('salesforceSourceWorkflow', () => {
  const t = useTestServer();

  it('ingests its start range, then files that appear later (late Sequence, equal CreatedDate), each row once', async () => {
    const h = await createSourceHarness(t);
    try {
      const startFrom = h.config.sources[0]!.startFrom;
      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h);
        let status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        expect(status.lastCycle?.error).toBeUndefined();
        // The settle window runs on the workflow's (real) clock, days after the simulated one: every file published
        // by the simulated now is due.
        const settled = h.sim.control.now();
        let expected = expectedFiles(h, startFrom, settled);
        expect(expected.length).toBeGreaterThan(20);
        expectExactlyOnce(readFileSinkEvents(h.outputDir), expected);
        expect(status.totals.files).toBe(expected.length);
        expect(status.checkpoint).toBeDefined();

        // Time passes: new hourly files appear, a late Sequence 2 file for an hour ingested long ago, and two files
        // that share one CreatedDate second.
        h.sim.control.advance(6 * HOUR);
        const now = Date.parse(h.sim.control.now());
        const sameSecond = new Date(Math.floor((now - 10 * 60_000) / 1000) * 1000).toISOString();
        const oldHour = new Date(Math.floor((now - DAY) / HOUR) * HOUR).toISOString();
        h.sim.control.addFile({
          eventType: 'Login',
          logDate: oldHour,
          interval: 'Hourly',
          sequence: 2,
          rows: 3,
          createdDate: sameSecond,
        });
        h.sim.control.addFile({
          eventType: 'URI',
          logDate: oldHour,
          interval: 'Hourly',
          sequence: 2,
          rows: 4,
          createdDate: sameSecond,
        });
        await handle.signal(pollNowSignal);
        status = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting');
        expect(status.lastCycle?.error).toBeUndefined();
        expected = expectedFiles(h, startFrom, new Date(now).toISOString());
        expect(expected.filter((f) => f.createdDate === sameSecond)).toHaveLength(2);
        expectExactlyOnce(readFileSinkEvents(h.outputDir), expected);

        // A cycle with nothing new writes nothing.
        await handle.signal(pollNowSignal);
        status = await waitForStatus(handle, (s) => s.cycles >= 3 && s.state === 'waiting');
        expect(status.lastCycle).toMatchObject({ filesIngested: 0, filesListed: 0 });
        expectExactlyOnce(readFileSinkEvents(h.outputDir), expected);
        await handle.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });

  it('pauses, resumes, polls on demand, and backfills an ingested range without duplicates', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'pausing' });
    try {
      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h);
        await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        const before = readFileSinkEvents(h.outputDir).length;

        await handle.signal(pauseSignal);
        let status = await waitForStatus(handle, (s) => s.paused);
        expect(status.state).toBe('paused');
        // Hourly files appear 2 to 7¼ hours after their hour starts: eight hours always bring new ones (three did
        // not, for some seeds, and the polled cycle then had nothing to ingest).
        h.sim.control.advance(8 * HOUR);
        await handle.signal(pollNowSignal);
        status = await waitForStatus(handle, (s) => /pollNow ignored/.test(s.lastError?.message ?? ''));
        expect(status.cycles).toBe(1);
        expect(readFileSinkEvents(h.outputDir)).toHaveLength(before);

        await handle.signal(resumeSignal);
        await waitForStatus(handle, (s) => !s.paused);
        await handle.signal(pollNowSignal);
        status = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting');
        // With the whole cycle summary and the last error beside it, so a failure shows what the cycle saw.
        expect({
          ingestedSome: status.lastCycle!.filesIngested > 0,
          ...status.lastCycle,
          lastError: status.lastError,
        }).toMatchObject({
          ingestedSome: true,
        });
        const afterPoll = readFileSinkEvents(h.outputDir);

        // Invalid backfills are refused with a reason, in status.
        await handle.signal(backfillSignal, { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' });
        status = await waitForStatus(handle, (s) =>
          /backfill rejected: backfill range is empty/.test(s.lastError?.message ?? ''),
        );
        await handle.signal(backfillSignal, {
          from: h.sim.control.now(),
          to: new Date(Date.parse(h.sim.control.now()) + HOUR).toISOString(),
          eventTypes: ['login'],
        });
        await waitForStatus(handle, (s) =>
          /"login" is not an EventLogFile event type/.test(s.lastError?.message ?? ''),
        );

        // Backfill over a range already ingested: completes, writes nothing new.
        const from = new Date(Date.parse(h.sim.control.now()) - 20 * HOUR).toISOString();
        const to = new Date(Date.parse(h.sim.control.now()) - 8 * HOUR).toISOString();
        await handle.signal(backfillSignal, { from, to });
        status = await waitForStatus(handle, (s) => s.backfills.some((b) => b.state === 'completed'), 90_000);
        const b = status.backfills.find((x) => x.state === 'completed')!;
        expect(b.filesListed).toBeGreaterThan(0);
        expect(b.filesIngested + b.filesSkipped).toBe(b.filesListed);
        // Every file of that LogDate range was created inside the live window, so all are skipped: nothing new is
        // written, the output is exactly what it was.
        expect(b).toMatchObject({ filesIngested: 0, filesFailed: 0, rows: 0, filesSkipped: b.filesListed });
        const rowIds = (events: { p_row_id: string }[]) => events.map((e) => e.p_row_id).sort();
        expect(rowIds(readFileSinkEvents(h.outputDir))).toEqual(rowIds(afterPoll));
        await handle.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });

  it('continues as new and carries its checkpoint, ledger and totals', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'can' });
    try {
      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h, { continueAsNewAfterCycles: 1 });
        const first = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        const firstRun = (await handle.describe()).runId;
        expect(first.totals.files).toBeGreaterThan(0);
        // The first cycle ends the run; the next run waits for its tick with the state carried over.
        h.sim.control.advance(2 * HOUR);
        await handle.signal(pollNowSignal);
        const second = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting');
        const secondRun = (await handle.describe()).runId;
        expect(secondRun).not.toBe(firstRun);
        expect(second.totals.files).toBeGreaterThanOrEqual(first.totals.files);
        expect(second.checkpoint!.createdDate >= first.checkpoint!.createdDate).toBe(true);
        expect(second.lastCycle!.filesAlreadyDone).toBe(0);
        expect(duplicates(readFileSinkEvents(h.outputDir).map((e) => e.p_row_id))).toEqual([]);
        await handle.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });

  it('stops with its state as result, and a later start carries on from the checkpoint', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'restart' });
    try {
      await h.withWorker(async () => {
        const source = h.config.sources[0]!;
        const first = await startSource(t.client, h.config, source);
        const handle = t.client.workflow.getHandle<typeof salesforceSourceWorkflow>(first.workflowId);
        const before = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        await handle.cancel();
        const stopped = await handle.result();
        expect(stopped.checkpoint).toEqual(before.checkpoint);
        const eventsBefore = readFileSinkEvents(h.outputDir).length;

        const second = await startSource(t.client, h.config, source);
        expect(second.runId).not.toBe(first.runId);
        const resumed = await waitForStatus(handle, (s) => s.state === 'waiting');
        expect(resumed).toMatchObject({ cycles: 1, checkpoint: before.checkpoint, totals: before.totals });
        await handle.signal(pollNowSignal);
        const after = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting');
        expect(after.lastCycle).toMatchObject({ filesListed: 0, filesIngested: 0, filesAlreadyDone: 0 });
        expect(readFileSinkEvents(h.outputDir)).toHaveLength(eventsBefore);
        await handle.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });
});
