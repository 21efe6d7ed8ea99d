/**
 * Poison input never blocks a source: a LogFile that is not an EventLogFile CSV (a maintenance page, binary, a header
 * without EVENT_TYPE) or is cut short fails that file for good with nothing of it written, is reported with its id,
 * event type, LogDate and reason, does not hold back the checkpoint and is not downloaded again; drift (columns added
 * and reordered) keeps working; `elfstream retry` ingests a failed file on purpose. A configuration the workflow
 * cannot use becomes a cycle error, not a workflow task failing over and over.
 */
import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { SimFileSummary } from '@elfstream/salesforce-simulator';
import { fileWorkflowId } from '../../src/workflows/ids';
import { pollNowSignal } from '../../src/workflows/messages';
import { runElfstream } from '../helpers/cli';
import { duplicates, readFileSinkEvents, walk } from '../helpers/output';
import {
  createSourceHarness,
  harnessEnv,
  HOUR,
  simulatedStart,
  startSourceWorkflow,
  waitForStatus,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

const HTML = '<!DOCTYPE html>\n<html><head><title>Down for maintenance</title></head><body>Back soon</body></html>\n';

function csvText(rows: string[][]): string {
  return rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\n') + '\n';
}

function rowsByFile(dir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of readFileSinkEvents(dir)) {
    const id = (e.p_source_file as { id: string }).id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

async function readCsv(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

describe('poison input', () => {
  const t = useTestServer();

  it('fails each unreadable file for good, writes nothing of it, keeps drift working, and retries on purpose', async () => {
    const now = simulatedStart();
    // Hourly files appear 1 to 7 hours after their hour: half a day back holds enough of them (four are needed)
    // whatever the seed and the time of day.
    const h = await createSourceHarness(t, {
      sourcePrefix: 'poison',
      sim: { now, days: 1 },
      settings: { startFrom: new Date(Date.parse(now) - 12 * HOUR).toISOString() },
    });
    try {
      const logins = h.sim.control
        .listFiles()
        .filter(
          (f) => f.eventType === 'Login' && f.interval === 'Hourly' && f.createdDate >= h.config.sources[0]!.startFrom,
        );
      expect(logins.length).toBeGreaterThanOrEqual(4);
      const [html, binary, cut, model] = logins as [SimFileSummary, SimFileSummary, SimFileSummary, SimFileSummary];

      // Drift: the model file's columns reversed plus a new one, against its declared LogFileFieldNames.
      const modelRows = parseCsv(await readCsv(h.sim.control.fileCsv(model.id))) as string[][];
      const declared = modelRows[0]!.join(',');
      const reordered = modelRows.map((r, i) => [...r].reverse().concat(i === 0 ? 'NEW_COLUMN' : 'x'));
      const logDate = new Date(Date.parse(now) - 2 * HOUR).toISOString();
      const drift = h.sim.control.addFile({
        eventType: 'Login',
        logDate,
        interval: 'Hourly',
        csv: csvText(reordered),
        fieldNames: declared,
        createdDate: new Date(Date.parse(now) - 30 * 60_000).toISOString(),
      });
      const noEventType = h.sim.control.addFile({
        eventType: 'Login',
        logDate,
        interval: 'Hourly',
        csv: 'FOO,BAR\n1,2\n',
        fieldNames: declared,
        createdDate: new Date(Date.parse(now) - 30 * 60_000).toISOString(),
      });
      // Each fault serves one download only: a failure that were retried would then succeed, and the test fail.
      h.sim.control.inject({ kind: 'replace-blob', fileId: html.id, body: Buffer.from(HTML).toString('base64') });
      h.sim.control.inject({
        kind: 'replace-blob',
        fileId: binary.id,
        contentType: 'application/octet-stream',
        body: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256)).toString('base64'),
      });
      h.sim.control.inject({ kind: 'truncate-blob', fileId: cut.id, afterBytes: 40 });
      const poison = [html, binary, cut, noEventType];
      const poisonIds = poison.map((f) => f.id).sort();

      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h);
        let status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 120_000);
        expect(status.lastCycle?.error).toBeUndefined();
        expect(status.failedFiles.map((f) => f.fileId).sort()).toEqual(poisonIds);
        const byId = new Map(status.failedFiles.map((f) => [f.fileId, f]));
        for (const f of poison) {
          expect(byId.get(f.id)).toMatchObject({ eventType: 'Login', logDate: f.logDate, permanent: true });
        }
        expect(byId.get(html.id)?.reason).toMatch(/not an EventLogFile header \(no EVENT_TYPE column\).*DOCTYPE/);
        expect(byId.get(noEventType.id)?.reason).toMatch(/no EVENT_TYPE column/);
        expect(byId.get(binary.id)?.reason).toMatch(new RegExp(`EventLogFile ${binary.id}`));
        expect(byId.get(cut.id)?.reason).toMatch(/truncated or corrupt although the response was complete/);

        // Nothing of a poison file is written; every other file, the drifted one too, exactly once.
        const expected = h.sim.control
          .listFiles()
          .filter((f) => f.interval === 'Hourly' && f.createdDate >= h.config.sources[0]!.startFrom)
          .filter((f) => !poisonIds.includes(f.id));
        expect(expected.map((f) => f.id)).toContain(drift.id);
        expect(duplicates(readFileSinkEvents(h.outputDir).map((e) => e.p_row_id))).toEqual([]);
        expect(rowsByFile(h.outputDir)).toEqual(Object.fromEntries(expected.map((f) => [f.id, f.rows])));
        const newColumn = readFileSinkEvents(h.outputDir).filter(
          (e) => (e.p_source_file as { id: string }).id === drift.id,
        );
        expect(newColumn).toHaveLength(drift.rows);
        expect(newColumn.every((e) => JSON.stringify(e).includes('NEW_COLUMN'))).toBe(true);
        // The truncated file's place in the file sink says why it has no events.
        const failedJson = walk(h.outputDir).filter((p) => p.endsWith('failed.json'));
        expect(failedJson.some((p) => fs.readFileSync(p, 'utf8').includes(cut.id))).toBe(true);

        // The checkpoint moved past them all.
        const newest = [...expected, ...poison]
          .map((f) => f.createdDate)
          .sort()
          .at(-1)!;
        expect(Date.parse(status.checkpoint!.createdDate)).toBeGreaterThanOrEqual(Date.parse(newest));

        // The Web UI's current details name each failed file.
        const meta = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
        for (const id of poisonIds) expect(meta.currentDetails).toContain(id);
        expect(meta.currentDetails).toContain(`elfstream retry ${h.sourceId}`);

        // Another cycle does not download them again: each keeps its one file workflow run.
        const runs = async () =>
          Promise.all(
            poisonIds.map(
              async (id) =>
                (await t.client.workflow.getHandle(fileWorkflowId(h.sourceId, status.orgId!, id)).describe()).runId,
            ),
          );
        const before = await runs();
        await handle.signal(pollNowSignal);
        status = await waitForStatus(handle, (s) => s.cycles >= 2 && s.state === 'waiting', 120_000);
        expect(await runs()).toEqual(before);

        // Retry on purpose, once Salesforce serves the file whole (the faults were used up).
        const retried = await runElfstream(['retry', h.sourceId, html.id, '-c', h.configPath], {
          env: harnessEnv(h.sim),
        });
        expect({ code: retried.code, stderr: retried.stderr }).toEqual({ code: 0, stderr: '' });
        const unknown = await runElfstream(['retry', h.sourceId, 'not-a-failed-file', '-c', h.configPath], {
          env: harnessEnv(h.sim),
        });
        expect(unknown.code).toBe(4);
        expect(unknown.stderr).toContain('has no failed file not-a-failed-file');
        status = await waitForStatus(handle, (s) => !s.failedFiles.some((f) => f.fileId === html.id), 120_000);
        expect(rowsByFile(h.outputDir)[html.id]).toBe(html.rows);
        expect(duplicates(readFileSinkEvents(h.outputDir).map((e) => e.p_row_id))).toEqual([]);
      });
    } finally {
      await h.close();
    }
  }, 300_000);

  it('turns settings the workflow cannot use into a cycle error instead of a failing workflow task', async () => {
    const h = await createSourceHarness(t, { sourcePrefix: 'badsched', sim: { days: 1 } });
    try {
      // A worker whose configuration an older loader accepted: a schedule that never fires.
      h.config.sources[0]!.schedule = '0 0 31 2 *';
      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h);
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 120_000);
        expect(status.lastCycle?.error).toBe(
          `source ${h.sourceId}: schedule "0 0 31 2 *" never fires (no date matches its day-of-month, month and day-of-week fields); fix it in the worker's configuration`,
        );
        expect(status.lastError?.message).toContain('never fires');
        expect(status.nextRunAt).toBeDefined();
        const history = await handle.fetchHistory();
        expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
      });
    } finally {
      await h.close();
    }
  }, 180_000);
});
