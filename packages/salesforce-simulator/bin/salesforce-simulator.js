#!/usr/bin/env node
// The simulator on its own: `salesforce-simulator --help`. Runs the TypeScript sources through tsx.
'use strict';
require('tsx/cjs/api').register();
const { runSimulatorCli } = require('../src/index.ts');
runSimulatorCli(process.argv.slice(2)).catch((err) => {
  if (err && err.code === 'commander.helpDisplayed') return;
  console.error(err && err.message ? err.message : err);
  process.exit(typeof err?.exitCode === 'number' ? err.exitCode : 1);
});
