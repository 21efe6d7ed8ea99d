#!/usr/bin/env node
// The Apache Kafka broker that the kafka sink's tests and benchmark run against: the broker's jars from Maven
// Central (pinned in scripts/kafka/pom.xml) under .tools/kafka/libs, installed with Maven when missing and reused
// when present, started on the machine's Java 17+ as one KRaft node (broker and controller combined) on free
// loopback ports with a temporary log directory.
//
//   node scripts/kafka-broker.js            installs the jars (if needed) and prints their folder
'use strict';
const { execFileSync, spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { freePort, stopProcess, waitUntilListening } = require('./loopback');
const os = require('node:os');
const path = require('node:path');
const { setTimeout } = require('node:timers');

const root = path.resolve(__dirname, '..');
const pom = path.join(__dirname, 'kafka', 'pom.xml');
const libsDir = path.join(root, '.tools', 'kafka', 'libs');
const PINNED = { broker: 'org.apache.kafka:kafka_2.13:4.1.1', slf4j: 'org.slf4j:slf4j-api:2.0.17' };

function log(msg) {
  process.stderr.write(`[kafka-broker] ${msg}\n`);
}

function onPath(name) {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

/** Folder of the broker's jars; fetches them with Maven when `install` is set and they are missing. */
function resolveKafkaLibs({ install = true } = {}) {
  const marker = path.join(libsDir, `kafka_2.13-${PINNED.broker.split(':')[2]}.jar`);
  if (fs.existsSync(marker)) return libsDir;
  if (!install) return undefined;
  const mvn = onPath('mvn');
  if (!mvn) {
    throw new Error(
      `Could not install the Kafka broker (${PINNED.broker}): Maven ("mvn") is not installed. ` +
        'Install it (Debian: apt-get install maven) or run the command below by other means:\n' +
        `  mvn -q -f scripts/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory=.tools/kafka/libs`,
    );
  }
  log(`mvn dependency:copy-dependencies (${PINNED.broker}, ${PINNED.slf4j}) into ${path.relative(root, libsDir)}`);
  fs.rmSync(libsDir, { recursive: true, force: true });
  try {
    execFileSync(mvn, ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${libsDir}`], {
      stdio: 'inherit',
    });
  } catch (e) {
    throw new Error(`Could not install the Kafka broker (${PINNED.broker}) with Maven: ${e.message}`);
  }
  if (!fs.existsSync(marker)) throw new Error(`Maven finished but ${marker} is missing`);
  return libsDir;
}

/**
 * Starts a single-node KRaft broker. Resolves once its client port accepts connections, with `brokers`
 * (["127.0.0.1:<port>"]), `stop()` (SIGTERM, then SIGKILL after 10 s; removes the log directory unless `keepDir`)
 * and `restart()` (same ports and data, for "server briefly down" tests). The broker's log goes to `logFile`.
 */
async function startKafkaBroker({ logFile, java = 'java', heap = '512m', timeoutMs = 90_000 } = {}) {
  const libs = resolveKafkaLibs({ install: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-kafka-'));
  const port = await freePort();
  const controllerPort = await freePort();
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${path.join(dir, 'data')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=4',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=true',
  ];
  const propsFile = path.join(dir, 'server.properties');
  fs.writeFileSync(propsFile, props.join('\n') + '\n');
  const classpath = path.join(libs, '*');
  const jvm = [`-Xmx${heap}`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', classpath];
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const clusterId = randomClusterId();
  execFileSync(java, [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsFile], {
    stdio: ['ignore', out, out],
  });

  let child;
  const launch = async () => {
    child = spawn(
      java,
      [
        ...jvm,
        '-Dorg.slf4j.simpleLogger.defaultLogLevel=info',
        '-Dorg.slf4j.simpleLogger.showDateTime=true',
        'kafka.Kafka',
        propsFile,
      ],
      { stdio: ['ignore', out, out] },
    );
    await waitUntilListening(child, port, { name: 'Kafka broker', logFile, timeoutMs });
  };
  const halt = () => stopProcess(child, 10_000);
  await launch();
  return {
    brokers: [`127.0.0.1:${port}`],
    get pid() {
      return child.pid;
    },
    /** Stops the broker and starts it again on the same ports and data. */
    async restart(downMs = 0) {
      await halt();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await launch();
    },
    halt,
    launch,
    async stop({ keepDir = false } = {}) {
      await halt();
      if (typeof out === 'number') fs.closeSync(out);
      if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { resolveKafkaLibs, startKafkaBroker, PINNED };

if (require.main === module) {
  try {
    process.stdout.write(`${resolveKafkaLibs()}\n`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

/**
 * A cluster id as Kafka's `Uuid.randomUuid()` makes one: 16 random bytes in URL-safe base64 without padding, drawn
 * again when it holds a dash. One that starts with a dash is read as an option by the storage tool's command line
 * (1 time in 64); recent Kafka releases draw again on a dash anywhere.
 */
function randomClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.includes('-')) return id;
  }
}
