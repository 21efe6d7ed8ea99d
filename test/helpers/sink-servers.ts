/**
 * Real servers for the s3 and kafka sinks, started by the test files that need them (scripts/versitygw.js and
 * scripts/kafka-broker.js provision and start them): versitygw with its bucket notifications counted by a webhook
 * on loopback, and a single-node KRaft Kafka broker with a read_committed consumer for reading what it holds.
 */
import http from 'node:http';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { OUTPUT_DIR } from './global-setup';

/* eslint-disable @typescript-eslint/no-require-imports */
const { startVersitygw } = require('../../scripts/versitygw.js') as {
  startVersitygw(o: { buckets?: string[]; eventWebhookUrl?: string; logFile?: string }): Promise<VersitygwProcess>;
};
const { startKafkaBroker } = require('../../scripts/kafka-broker.js') as {
  startKafkaBroker(o: { logFile?: string }): Promise<KafkaBrokerProcess>;
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface Restartable {
  restart(downMs?: number): Promise<void>;
  halt(): Promise<void>;
  launch(): Promise<void>;
  stop(): Promise<void>;
}
interface VersitygwProcess extends Restartable {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
}
interface KafkaBrokerProcess extends Restartable {
  brokers: string[];
}

export interface S3TestServer extends VersitygwProcess {
  bucket: string;
  /** "s3:ObjectCreated:*" notifications received so far, per object key. */
  created(): Map<string, number>;
  /** Waits until no notification has arrived for `quietMs` (they are sent asynchronously). */
  settle(quietMs?: number): Promise<void>;
}

export async function startS3Server(name: string): Promise<S3TestServer> {
  const created = new Map<string, number>();
  let lastEvent = Date.now();
  const hook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      lastEvent = Date.now();
      try {
        const records = (JSON.parse(body) as { Records?: { eventName: string; s3: { object: { key: string } } }[] })
          .Records;
        for (const r of records ?? []) {
          if (!r.eventName.startsWith('s3:ObjectCreated:')) continue;
          const key = decodeURIComponent(r.s3.object.key);
          created.set(key, (created.get(key) ?? 0) + 1);
        }
      } catch {
        // the server's test event at start-up is not a record list
      }
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  const port = (hook.address() as { port: number }).port;
  const bucket = 'elf-logs';
  const gw = await startVersitygw({
    buckets: [bucket],
    eventWebhookUrl: `http://127.0.0.1:${port}/`,
    logFile: path.join(OUTPUT_DIR, `versitygw-${name}.log`),
  });
  return {
    ...gw,
    restart: (downMs) => gw.restart(downMs),
    halt: () => gw.halt(),
    launch: () => gw.launch(),
    bucket,
    created: () => created,
    async settle(quietMs = 1500) {
      while (Date.now() - lastEvent < quietMs) await new Promise((r) => setTimeout(r, 200));
    },
    async stop() {
      await gw.stop();
      await new Promise((r) => hook.close(r));
    },
  };
}

export interface KafkaTestBroker extends KafkaBrokerProcess {
  /** Every record of `topic` a read_committed consumer sees, as [key, value]. */
  readCommitted(topic: string): Promise<[string, string][]>;
}

export async function startKafka(name: string): Promise<KafkaTestBroker> {
  const broker = await startKafkaBroker({ logFile: path.join(OUTPUT_DIR, `kafka-${name}.log`) });
  return {
    brokers: broker.brokers,
    restart: (downMs) => broker.restart(downMs),
    halt: () => broker.halt(),
    launch: () => broker.launch(),
    stop: () => broker.stop(),
    readCommitted: (topic) => readCommitted(broker.brokers, topic),
  };
}

/**
 * Reads `topic` from the start as a read_committed consumer would, until nothing new has arrived for a few seconds
 * after joining (aborted records and commit markers make offsets useless as an end condition).
 */
async function readCommitted(brokers: string[], topic: string): Promise<[string, string][]> {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: `test-reader-${Math.random().toString(36).slice(2)}`,
    readUncommitted: false,
    maxWaitTimeInMs: 200,
  });
  const out: [string, string][] = [];
  let last = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => (last = Date.now()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) out.push([m.key?.toString() ?? '', m.value?.toString() ?? '']);
      last = Date.now();
    },
  });
  const deadline = Date.now() + 120_000;
  while (last === 0 || Date.now() - last < 4000) {
    if (Date.now() > deadline) throw new Error(`reading ${topic} did not settle`);
    await new Promise((r) => setTimeout(r, 200));
  }
  await consumer.disconnect();
  return out;
}
