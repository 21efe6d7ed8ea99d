#!/usr/bin/env node
// The S3-compatible server that the s3 sink's tests and benchmark run against: versitygw (Apache-2.0) with its
// POSIX backend, pinned, built with `go install` into .tools/go-bin and reused when present, started on a free
// loopback port over a temporary folder. Its bucket event notifications ("s3:ObjectCreated:Put") go to a webhook
// URL when given, which is how tests count the objects a bucket reader would be told about.
//
//   node scripts/versitygw.js               installs versitygw (if needed) and prints its path
'use strict';
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { freePort, stopProcess, waitUntilListening } = require('./loopback');
const os = require('node:os');
const path = require('node:path');
const { setTimeout } = require('node:timers');

const PINNED = { goModule: 'github.com/versity/versitygw/cmd/versitygw@v1.8.0' };
const root = path.resolve(__dirname, '..');
const gobin = path.join(root, '.tools', 'go-bin');

function log(msg) {
  process.stderr.write(`[versitygw] ${msg}\n`);
}

function onPath(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

/** Path of versitygw: $VERSITYGW, then the pinned build under .tools/go-bin, built when `install` is set. */
function resolveVersitygw({ install = true } = {}) {
  const fromEnv = process.env.VERSITYGW;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv)) throw new Error(`VERSITYGW=${fromEnv} does not exist`);
    return fromEnv;
  }
  const local = path.join(gobin, 'versitygw');
  if (fs.existsSync(local)) return local;
  if (!install) return undefined;
  const go = onPath('go');
  if (!go) {
    throw new Error(
      `Could not install versitygw: Go is not installed. Install Go (https://go.dev/doc/install), or build ` +
        `${PINNED.goModule} elsewhere and set VERSITYGW to the binary.`,
    );
  }
  log(`go install ${PINNED.goModule} (builds from source; takes a few minutes the first time)`);
  try {
    execFileSync(go, ['install', PINNED.goModule], { stdio: 'inherit', env: { ...process.env, GOBIN: gobin } });
  } catch (e) {
    throw new Error(`Could not install versitygw (${PINNED.goModule}): ${e.message}`);
  }
  return local;
}

/**
 * Starts versitygw over a new temporary folder with the given buckets (folders of the POSIX backend). Resolves
 * once it listens, with `endpoint`, `accessKeyId`, `secretAccessKey`, `dir` (the backend's root: an object is
 * the file `<dir>/<bucket>/<key>`), `restart(downMs)` (same port and data) and `stop()`.
 */
async function startVersitygw({ buckets = [], eventWebhookUrl, logFile, timeoutMs = 30_000 } = {}) {
  const bin = resolveVersitygw({ install: true });
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-s3-'));
  const dir = path.join(base, 'data');
  const sidecar = path.join(base, 'meta');
  for (const b of buckets) fs.mkdirSync(path.join(dir, b), { recursive: true });
  fs.mkdirSync(sidecar, { recursive: true });
  const port = await freePort();
  const accessKeyId = `test${crypto.randomBytes(6).toString('hex')}`;
  const secretAccessKey = crypto.randomBytes(20).toString('hex');
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const args = ['--port', `127.0.0.1:${port}`, '--region', 'us-east-1'];
  if (eventWebhookUrl) args.push('--event-webhook-url', eventWebhookUrl);
  // Metadata in a sidecar folder: the temp folder's file system may not take extended attributes.
  args.push('posix', '--sidecar', sidecar, dir);

  let child;
  const launch = async () => {
    // Credentials go through the environment, not the command line other users can read.
    const env = { ...process.env, ROOT_ACCESS_KEY_ID: accessKeyId, ROOT_SECRET_ACCESS_KEY: secretAccessKey };
    child = spawn(bin, args, { stdio: ['ignore', out, out], env });
    await waitUntilListening(child, port, { name: 'versitygw', logFile, timeoutMs, pollMs: 100 });
  };
  const halt = () => stopProcess(child, 5_000);
  await launch();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    dir,
    async restart(downMs = 0) {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    halt,
    launch,
    async stop() {
      await halt();
      if (typeof out === 'number') fs.closeSync(out);
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

module.exports = { resolveVersitygw, startVersitygw, PINNED };

if (require.main === module) {
  try {
    process.stdout.write(`${resolveVersitygw()}\n`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
