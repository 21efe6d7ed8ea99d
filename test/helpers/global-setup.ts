import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolveTemporalCli } = require('../../scripts/temporal-cli.js') as {
  resolveTemporalCli(o?: { install?: boolean }): string;
};

export const OUTPUT_DIR = path.resolve(__dirname, '../../test-output');

/**
 * Once per `npm test`: one real Temporal dev server (random ports, in-memory, Web UI on, elfstream's search
 * attributes registered) and one workflow bundle, both shared by every test file through environment variables.
 */
export default async function globalSetup(): Promise<void> {
  fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  const cliPath = resolveTemporalCli({ install: true });
  const log = fs.createWriteStream(path.join(OUTPUT_DIR, 'temporal-dev-server.log'));
  const server = await startDevServer({ cliPath, output: log, logLevel: 'warn' });
  (globalThis as { __elfstreamDevServer?: DevServer }).__elfstreamDevServer = server;
  process.env.ELFSTREAM_TEST_TEMPORAL_CLI = cliPath;
  process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.ELFSTREAM_TEST_TEMPORAL_UI = server.uiUrl ?? '';

  const workflowsPath = path.resolve(__dirname, '../../src/workflows/index.ts');
  if (fs.existsSync(workflowsPath)) {
    const bundle = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
    const bundlePath = path.join(OUTPUT_DIR, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    process.env.ELFSTREAM_TEST_WORKFLOW_BUNDLE = bundlePath;
  }
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error };
