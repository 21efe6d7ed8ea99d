/**
 * The Temporal Web UI tells the story: in headless Chromium, the source workflow is listed, and its page shows the
 * summary and the current details the workflow keeps up to date. Screenshots go to test-output/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { salesforceSourceWorkflow } from '../../src/workflows';
import { sourceWorkflowId } from '../../src/workflows/ids';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { createSourceHarness, waitForStatus } from '../helpers/source-harness';
import { connectToTestServer, type TemporalTestContext } from '../helpers/temporal';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

  it('lists the source workflow and shows its current details', async () => {
    const ui = process.env.ELFSTREAM_TEST_TEMPORAL_UI!;
    const h = await createSourceHarness(t, { sourcePrefix: 'webui', sim: { days: 1 } });
    try {
      await h.withWorker(async () => {
        const workflowId = sourceWorkflowId(h.sourceId);
        const handle = await t.client.workflow.start(salesforceSourceWorkflow, {
          taskQueue: h.taskQueue,
          workflowId,
          args: [{ sourceId: h.sourceId }],
          staticSummary: `Salesforce Event Monitoring: Acme (simulated) (${h.sourceId})`,
        });
        const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting');
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });

        await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="${workflowId}"`)}`);
        await page.getByText(workflowId).first().waitFor({ timeout: 30_000 });
        await page.screenshot({ path: path.join(OUTPUT_DIR, 'web-ui-workflows.png') });

        await page.goto(`${ui}/namespaces/default/workflows/${workflowId}`);
        const shot = path.join(OUTPUT_DIR, 'web-ui-source-workflow.png');
        try {
          // Summary and current details live under the workflow's "User Metadata" tab.
          await page.getByText('User Metadata').first().click({ timeout: 30_000 });
          // The UI renders the Markdown in a sandboxed frame: look through every frame of the page.
          await waitForText(page, [
            'Acme (simulated) — waiting',
            `${status.totals.files} files, ${status.totals.rows} events`,
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
