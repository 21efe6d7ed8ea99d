/**
 * The Temporal Web UI tells the story: in headless Chromium, the list filtered by the source shows the source
 * workflow and each of its file workflows, and the source's page shows its summary and the current details it keeps
 * up to date (state, org, checkpoint, totals, last cycle). Screenshots go to test-output/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { salesforceSourceWorkflow } from '../../src/workflows';
import { startSource, staticSummary } from '../../src/cli/start-sources';
import { fileWorkflowId } from '../../src/workflows/ids';
import { runElfstream } from '../helpers/cli';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { readFileSinkEvents } from '../helpers/output';
import {
  createSourceHarness,
  harnessEnv,
  simulatedStart,
  startFromWithAtMost,
  startSourceWorkflow,
  waitForStatus,
} from '../helpers/source-harness';
import { connectToTestServer, type TemporalTestContext } from '../helpers/temporal';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** File workflows that fit on the first page of the Web UI's workflow list, next to the source workflow. */
const PAGE_SIZE = 15;
/** File workflows the test starts with: leaves room for the source and for files published while it runs. */
const MAX_LISTED = 10;

describe('Temporal Web UI', () => {
  let t: TemporalTestContext;
  let browser: Browser;
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(
        `no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH`,
      );
    t = await connectToTestServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('lists the source and its file workflows, and shows its summary and current details', async () => {
    const ui = process.env.ELFSTREAM_TEST_TEMPORAL_UI!;
    const now = simulatedStart();
    // The newest files, few enough for the list's first page: how far back that is depends on the seed and the hour.
    const h = await createSourceHarness(t, {
      sourcePrefix: 'webui',
      sim: { now, days: 1 },
      settings: (sim) => ({ startFrom: startFromWithAtMost(sim, MAX_LISTED) }),
    });
    try {
      await h.withWorker(async () => {
        const source = h.config.sources[0]!;
        // Started as `elfstream start` starts it, with the summary and search attributes it sets.
        const started = await startSource(t.client, h.config, source);
        const handle = t.client.workflow.getHandle<typeof salesforceSourceWorkflow>(started.workflowId);
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        const fileIds = [
          ...new Set(readFileSinkEvents(h.outputDir).map((e) => (e.p_source_file as { id: string }).id)),
        ];
        expect(fileIds).toHaveLength(status.totals.files);
        expect(fileIds.length).toBeGreaterThan(0);
        expect(fileIds.length).toBeLessThanOrEqual(PAGE_SIZE);
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });

        // The list filtered by the source's search attribute: the source and every one of its file workflows.
        const query = `ElfSourceId="${h.sourceId}"`;
        await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query)}`);
        await waitForText(page, [
          started.workflowId,
          ...fileIds.map((id) => fileWorkflowId(h.sourceId, h.sim.orgId, id)),
        ]);
        await page.screenshot({ path: path.join(OUTPUT_DIR, 'web-ui-workflows.png'), fullPage: true });

        await page.goto(`${ui}/namespaces/default/workflows/${started.workflowId}`);
        const shot = path.join(OUTPUT_DIR, 'web-ui-source-workflow.png');
        try {
          // Summary and current details live under the workflow's "User Metadata" tab.
          await page.getByText('User Metadata').first().click({ timeout: 30_000 });
          // The UI renders the Markdown in a sandboxed frame: look through every frame of the page.
          await waitForText(page, [
            staticSummary(source),
            `${source.label} — waiting`,
            `${status.orgId} (Hourly)`,
            `${status.checkpoint!.createdDate} / ${status.checkpoint!.id}`,
            `${status.totals.files} files, ${status.totals.rows} events, 1 cycles`,
            `${status.lastCycle!.filesListed} new files listed, ${status.lastCycle!.filesIngested} ingested (${status.lastCycle!.rows} events)`,
          ]);
        } catch (err) {
          await page.screenshot({ path: shot }).catch((e) => console.error(e));
          throw err;
        }
        await page.screenshot({ path: shot, fullPage: true });
        await page.close();
        await handle.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });

  it("elfstream ui prints the list views; the files view lists only that source's file workflows", async () => {
    const ui = process.env.ELFSTREAM_TEST_TEMPORAL_UI!;
    const h = await createSourceHarness(t, { sourcePrefix: 'webviews', sim: { days: 1 } });
    try {
      await h.withWorker(async () => {
        const handle = await startSourceWorkflow(t, h);
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        expect(status.totals.files).toBeGreaterThan(0);

        const env = harnessEnv(h.sim);
        const all = await runElfstream(['ui', h.sourceId, '--ui-url', ui, '-c', h.configPath], { env });
        expect(all.code).toBe(0);
        const of = `ElfSourceId="${h.sourceId}"`;
        for (const [title, query] of [
          [`source ${h.sourceId}`, `WorkflowType="salesforceSourceWorkflow" AND ${of}`],
          [`files of ${h.sourceId}`, `WorkflowType="eventLogFileWorkflow" AND ${of}`],
          [
            `failed files of ${h.sourceId}`,
            `WorkflowType="eventLogFileWorkflow" AND ExecutionStatus="Failed" AND ${of}`,
          ],
          [
            `running backfills of ${h.sourceId}`,
            `WorkflowType="eventLogBackfillWorkflow" AND ExecutionStatus="Running" AND ${of}`,
          ],
        ]) {
          expect(all.stdout).toContain(`${title}: ${query}\n`);
          expect(all.stdout).toContain(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(query!)}`);
        }

        const files = await runElfstream(['ui', h.sourceId, '--view', 'files', '--ui-url', ui, '-c', h.configPath], {
          env,
        });
        const url = files.stdout.trim();
        expect(url).toBe(
          `${ui}/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowType="eventLogFileWorkflow" AND ${of}`)}`,
        );
        // The newest file the cycle ingested (the simulator may have published another since).
        const ingested = new Set(readFileSinkEvents(h.outputDir).map((e) => (e.p_source_file as { id: string }).id));
        const newest = h.sim.control
          .listFiles()
          .filter((f) => ingested.has(f.id))
          .sort((a, b) => b.createdDate.localeCompare(a.createdDate))[0]!;
        expect(ingested.size).toBe(status.totals.files);
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
        const shot = path.join(OUTPUT_DIR, 'web-ui-files-view.png');
        try {
          await page.goto(url);
          await waitForText(page, [fileWorkflowId(h.sourceId, h.sim.orgId, newest.id)]);
        } finally {
          await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
          await page.close();
        }
        await handle.terminate('test done');
      });
    } finally {
      await h.close();
    }
  });
});

async function waitForText(page: Page, texts: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bodies = await Promise.all(page.frames().map((f) => f.innerText('body').catch(() => '')));
    const all = bodies.join('\n');
    if (texts.every((t) => all.includes(t))) return;
    if (Date.now() > deadline)
      throw new Error(`the page never showed ${JSON.stringify(texts)}; it showed:\n${all.slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
