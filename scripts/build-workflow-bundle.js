#!/usr/bin/env node
// Prebuilds the workflow bundle next to the compiled worker (lib/workflow-bundle.js), so production workers start
// without bundling. The @temporalio/worker version that bundles must be the one that runs it (same lockfile).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { bundleWorkflowCode } = require('@temporalio/worker');

async function main() {
  const { code } = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../lib/workflows/index.js') });
  const out = path.resolve(__dirname, '../lib/workflow-bundle.js');
  fs.writeFileSync(out, code);
  process.stdout.write(
    `workflow bundle: ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)\n`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
