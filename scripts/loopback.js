// Loopback and process helpers shared by the scripts that start test servers (versitygw, the Kafka broker).
'use strict';
const net = require('node:net');
const { setTimeout, clearTimeout } = require('node:timers');

/** A port free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
function canConnect(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('error', () => resolve(false));
  });
}

/**
 * Waits until the server `child` started listens on 127.0.0.1:`port`; throws, naming its log, when it exits first
 * or is not listening within `timeoutMs`.
 */
async function waitUntilListening(child, port, { name, logFile, timeoutMs, pollMs = 200 }) {
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}; see ${logFile}`);
    if (Date.now() > deadline) throw new Error(`${name} did not listen on 127.0.0.1:${port}; see ${logFile}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Stops a server process: SIGTERM, then SIGKILL after `graceMs`. Resolves once it has exited. */
async function stopProcess(child, graceMs) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

module.exports = { freePort, canConnect, waitUntilListening, stopProcess };
