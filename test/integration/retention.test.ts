/**
 * The ledger outlives retention, or the backfill refuses: in a namespace that keeps closed workflows for one day,
 * file workflows deleted as retention would delete them make a backfill of that past refuse with the cause and the
 * way out; a backfill the ledger covers writes nothing new; `--reingest` writes exactly the forgotten files again
 * (which is why the refusal exists); `start` warns and `setup` raises the retention.
 */
import { Client } from '@temporalio/client';
import type { salesforceSourceWorkflow } from '../../src/workflows';
import { fileWorkflowId, sourceWorkflowId } from '../../src/workflows/ids';
import { statusQuery } from '../../src/workflows/messages';
import { SEARCH_ATTRIBUTE_TYPES } from '../../src/workflows/search-attributes';
import { runElfstream } from '../helpers/cli';
import { duplicates, readFileSinkEvents } from '../helpers/output';
import { createSourceHarness, harnessEnv, HOUR, simulatedStart, waitForStatus } from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';

const DAY_SECONDS = 24 * 3600;

function rowsByFile(dir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of readFileSinkEvents(dir)) {
    const id = (e.p_source_file as { id: string }).id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('ledger and namespace retention', () => {
  const t = useTestServer();

  it('refuses a backfill the ledger may have forgotten, names the way out, and setup raises the retention', async () => {
    const namespace = `elf-retention-${Math.random().toString(36).slice(2, 8)}`;
    await t.connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: DAY_SECONDS as never },
    });
    // elfstream's search attributes, once the new namespace is served (the frontend's cache takes a few seconds).
    const indexed: Record<string, number> = { Keyword: 2, Datetime: 6 };
    const searchAttributes = Object.fromEntries(
      Object.entries(SEARCH_ATTRIBUTE_TYPES).map(([name, type]) => [name, indexed[type]!]),
    );
    for (let i = 0; ; i++) {
      try {
        await t.connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
        break;
      } catch (err) {
        if (i > 60) throw err;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    const now = simulatedStart(0);
    const h = await createSourceHarness(t, {
      namespace,
      sourcePrefix: 'ret',
      sim: { now, days: 2 },
      settings: {
        eventTypes: '[Login]',
        startFrom: new Date(Date.parse(now) - 30 * HOUR).toISOString(),
      },
    });
    const client = new Client({ connection: t.connection, namespace });
    const cli = (args: string[]) =>
      runElfstream([...args, '-c', h.configPath], { env: harnessEnv(h.sim), timeoutMs: 120_000 });
    try {
      // The namespace is served once the frontend's cache has it.
      for (let i = 0; ; i++) {
        const started = await cli(['start', h.sourceId]);
        if (started.code === 0) {
          expect(started.stderr).toContain(
            `warning: namespace ${namespace} keeps closed workflows for 1 day, but backfills reach 30 days back`,
          );
          expect(started.stderr).toContain('`elfstream setup` (sets 32 days)');
          break;
        }
        if (i > 10) throw new Error(`start failed: ${started.stderr}`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
      await h.withWorker(async () => {
        const handle = client.workflow.getHandle<typeof salesforceSourceWorkflow>(sourceWorkflowId(h.sourceId));
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 180_000);
        expect(status.lastCycle?.error).toBeUndefined();
        const ingested = h.sim.control
          .listFiles()
          .filter(
            (f) =>
              f.eventType === 'Login' && f.interval === 'Hourly' && f.createdDate >= h.config.sources[0]!.startFrom,
          );
        expect(rowsByFile(h.outputDir)).toEqual(Object.fromEntries(ingested.map((f) => [f.id, f.rows])));

        // Retention strikes: the file workflows of files with LogDate more than a day back are deleted.
        const dayAgo = Date.now() - DAY_SECONDS * 1000;
        const forgotten = ingested.filter((f) => Date.parse(f.logDate) < dayAgo);
        expect(forgotten.length).toBeGreaterThan(0);
        for (const f of forgotten) {
          await client.workflowService.deleteWorkflowExecution({
            namespace,
            workflowExecution: { workflowId: fileWorkflowId(h.sourceId, status.orgId!, f.id) },
          });
        }
        // Deletion is asynchronous on the server: wait until each is gone.
        for (const f of forgotten) {
          const gone = async () =>
            client.workflow
              .getHandle(fileWorkflowId(h.sourceId, status.orgId!, f.id))
              .describe()
              .then(
                () => false,
                () => true,
              );
          // The server deletes in the background: on a busy machine that takes well over half a minute.
          for (let i = 0; !(await gone()); i++) {
            if (i > 360) throw new Error(`file workflow of ${f.id} was not deleted`);
            await new Promise((r) => setTimeout(r, 500));
          }
        }

        // A backfill of that past is refused, naming the cause and the way out.
        const from = new Date(Math.floor((Date.parse(now) - 30 * HOUR) / HOUR) * HOUR).toISOString();
        const to = new Date(Date.parse(now) + HOUR).toISOString();
        const refused = await cli(['backfill', h.sourceId, '--from', from, '--to', to, '--wait']);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(
          `backfill refused: it starts at ${from}, but namespace ${namespace} keeps closed workflows, the ledger of ingested files, for 1 day only`,
        );
        expect(refused.stderr).toContain('pass --reingest');
        expect(refused.stderr).toContain('`elfstream setup`');
        expect(rowsByFile(h.outputDir)).toEqual(Object.fromEntries(ingested.map((f) => [f.id, f.rows])));

        // Within what the ledger remembers, a backfill writes nothing new.
        const recentFrom = new Date(Math.ceil((dayAgo + HOUR) / HOUR) * HOUR).toISOString();
        const recent = await cli(['backfill', h.sourceId, '--from', recentFrom, '--to', to, '--wait']);
        expect({ code: recent.code, stderr: recent.stderr }).toEqual({ code: 0, stderr: '' });
        expect(duplicates(readFileSinkEvents(h.outputDir).map((e) => e.p_row_id))).toEqual([]);
        expect(rowsByFile(h.outputDir)).toEqual(Object.fromEntries(ingested.map((f) => [f.id, f.rows])));

        // --reingest does what it says: exactly the forgotten files are ingested again (the file sink rewrites the
        // same chunk files, so its output still holds each row once; an http sink would receive them twice).
        const again = await cli(['backfill', h.sourceId, '--from', from, '--to', to, '--reingest', '--wait']);
        expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
        expect(again.stdout).toContain('--reingest: it starts at');
        const inRange = ingested.filter((f) => f.logDate >= from);
        const twice = inRange.filter((f) => Date.parse(f.logDate) < dayAgo);
        expect(twice.length).toBeGreaterThan(0);
        const after = await handle.query(statusQuery);
        const entry = after.backfills.find((b) => b.from === from && b.to === to);
        expect(entry).toMatchObject({
          state: 'completed',
          filesIngested: twice.length,
          filesSkipped: inRange.length - twice.length,
        });
        for (const f of twice) {
          const d = await client.workflow.getHandle(fileWorkflowId(h.sourceId, status.orgId!, f.id)).describe();
          expect(d.status.name).toBe('COMPLETED');
        }
        expect(rowsByFile(h.outputDir)).toEqual(Object.fromEntries(ingested.map((f) => [f.id, f.rows])));
      });

      // setup raises the retention to cover the sources' reach; start no longer warns.
      const setup = await cli(['setup']);
      expect(setup.code).toBe(0);
      expect(setup.stdout).toContain(`namespace ${namespace}: retention raised from 1 day to 32 days`);
      const described = await t.connection.workflowService.describeNamespace({ namespace });
      expect(Number(described.config?.workflowExecutionRetentionTtl?.seconds)).toBe(32 * DAY_SECONDS);
      const started = await cli(['start', h.sourceId]);
      expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      await client.workflow
        .getHandle(sourceWorkflowId(h.sourceId))
        .terminate('test done')
        .catch(() => undefined);
      await h.close();
    }
  }, 600_000);
});
