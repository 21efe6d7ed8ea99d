/**
 * §1 The s3 and kafka sinks under faults, each against its real server on loopback (versitygw, Apache Kafka in
 * KRaft mode): worker processes SIGKILLed mid-file, and the server briefly down while files stream. Every row ends
 * up exactly once in the bucket (one object per chunk, each announced by exactly one "object created"
 * notification, so no object was written twice) or exactly once for a read_committed consumer.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { OUTPUT_DIR } from '../helpers/global-setup';
import type { OutputEvent } from '../helpers/output';
import { walk } from '../helpers/output';
import { startKafka, startS3Server, type KafkaTestBroker, type S3TestServer } from '../helpers/sink-servers';
import {
  createSourceHarness,
  harnessEnv,
  HOUR,
  simulatedStart,
  startSourceWorkflow,
  waitForStatus,
  type SourceHarness,
} from '../helpers/source-harness';
import { useTestServer } from '../helpers/temporal';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { expectedFiles, expectExactlyOnce, liveRange, scenario, sleep } from './support';

const TOPIC = 'salesforce-events';

describe('reliability: s3 and kafka sinks', () => {
  const t = useTestServer();
  let s3: S3TestServer;
  let kafka: KafkaTestBroker;

  beforeAll(async () => {
    [s3, kafka] = await Promise.all([startS3Server('reliability'), startKafka('reliability')]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([s3?.stop(), kafka?.stop()]);
  });

  /** Objects under the harness's prefix: key -> events. */
  function bucketObjects(prefix: string): Map<string, OutputEvent[]> {
    const root = path.join(s3.dir, s3.bucket);
    const out = new Map<string, OutputEvent[]>();
    for (const file of walk(path.join(root, prefix))) {
      const key = path.relative(root, file);
      if (!key.endsWith('.json.gz')) continue;
      const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
      out.set(
        key,
        text
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as OutputEvent),
      );
    }
    return out;
  }

  async function s3Harness(prefix: string): Promise<SourceHarness> {
    const h = await createSourceHarness(t, {
      sourcePrefix: prefix,
      sim: { now: simulatedStart(), days: 1, rowsPerFile: { min: 1200, max: 3000 } },
      settings: { startFrom: new Date(Date.parse(simulatedStart()) - 6 * HOUR).toISOString() },
      output: {
        type: 's3',
        bucket: s3.bucket,
        prefix: `${prefix}/`,
        region: 'us-east-1',
        endpoint: s3.endpoint,
        accessKeyId: s3.accessKeyId,
        secretAccessKeyFile: 's3-secret',
      },
      beforeParse: (dir) => fs.writeFileSync(path.join(dir, 's3-secret'), s3.secretAccessKey, { mode: 0o600 }),
    });
    return h;
  }

  async function kafkaHarness(prefix: string, topic: string): Promise<SourceHarness> {
    return createSourceHarness(t, {
      sourcePrefix: prefix,
      sim: { now: simulatedStart(), days: 1, rowsPerFile: { min: 1200, max: 3000 } },
      settings: { startFrom: new Date(Date.parse(simulatedStart()) - 6 * HOUR).toISOString() },
      output: { type: 'kafka', brokers: `[${kafka.brokers.join(', ')}]`, topic },
    });
  }

  /**
   * Runs one cycle of `h` with a worker process, calling `fault` once files stream (the worker is replaced
   * whenever `fault` returns true: it killed it).
   */
  async function runCycle(
    h: SourceHarness,
    name: string,
    fault: (worker: WorkerProcess, round: number) => Promise<boolean>,
    rounds: number,
  ): Promise<void> {
    const logFile = path.join(OUTPUT_DIR, `reliability-${name}-${h.sourceId}.log`);
    const workers: WorkerProcess[] = [];
    try {
      h.sim.control.inject({ kind: 'slow-blob', bytesPerSecond: 600_000, count: 10_000 });
      let worker = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
      workers.push(worker);
      await worker.ready;
      const handle = await startSourceWorkflow(t, h);
      for (let round = 0; round < rounds; round++) {
        await sleep(2500 + round * 1000);
        if (await fault(worker, round)) {
          worker = startWorkerProcess(h.configPath, harnessEnv(h.sim), logFile);
          workers.push(worker);
          await worker.ready;
        }
      }
      const status = await waitForStatus(handle, (s) => s.cycles >= 1 && s.state === 'waiting', 300_000);
      expect(status.lastCycle?.error).toBeUndefined();
      expect(status.failedFiles).toEqual([]);
      await handle.terminate('test done');
    } finally {
      for (const w of workers) await w.kill('SIGKILL');
    }
  }

  function checkBucket(h: SourceHarness, prefix: string, facts: Record<string, unknown>): void {
    const expected = expectedFiles(h, liveRange(h), {});
    expect(expected.length).toBeGreaterThanOrEqual(4); // a cycle without files would prove nothing
    const objects = bucketObjects(`${prefix}/`);
    Object.assign(facts, expectExactlyOnce([...objects.values()].flat(), expected));
    facts.objects = objects.size;
    // One notification per object: none was written twice; and every key follows the documented layout.
    const created = [...s3.created()].filter(([key]) => key.startsWith(`${prefix}/`) && key.endsWith('.json.gz'));
    expect(created.filter(([, n]) => n !== 1)).toEqual([]);
    expect(created.map(([k]) => k).sort()).toEqual([...objects.keys()].sort());
    for (const key of objects.keys()) {
      expect(key).toMatch(new RegExp(`^${prefix}/(Login|LoginAs|Logout|URI)/dt=\\d{4}-\\d\\d-\\d\\d/hour=\\d\\d/`));
    }
    // A manifest per file, under the bookkeeping prefix only.
    const manifests = walk(path.join(s3.dir, s3.bucket, prefix, '_elfstream'));
    expect(manifests.length).toBe(expected.length);
  }

  scenario(
    {
      id: 'fault/s3-worker-sigkill',
      scenario: 's3 sink: worker process SIGKILLed mid-file, twice',
      injected: '2 SIGKILLs of the worker process while files stream to versitygw; a new worker after each',
      compares:
        'rows per file in the bucket = simulator ground truth; no duplicate p_row_id; exactly one ObjectCreated notification per object',
    },
    async (facts) => {
      const prefix = `sigkill-${Date.now().toString(36)}`;
      const h = await s3Harness(prefix);
      try {
        await runCycle(h, 's3-sigkill', async (w) => (await w.kill('SIGKILL'), true), 2);
        await s3.settle();
        checkBucket(h, prefix, facts);
      } finally {
        await h.close();
      }
    },
    420_000,
  );

  scenario(
    {
      id: 'fault/s3-server-down',
      scenario: 's3 sink: the S3 server briefly down while files stream',
      injected: 'versitygw stopped for 4 s mid-cycle, then started again on the same port and data',
      compares:
        'rows per file in the bucket = simulator ground truth; no duplicate p_row_id; one notification per object',
    },
    async (facts) => {
      const prefix = `down-${Date.now().toString(36)}`;
      const h = await s3Harness(prefix);
      try {
        await runCycle(h, 's3-down', async () => (await s3.restart(4000), false), 1);
        await s3.settle();
        checkBucket(h, prefix, facts);
      } finally {
        await h.close();
      }
    },
    420_000,
  );

  function checkTopic(h: SourceHarness, records: [string, string][], facts: Record<string, unknown>): void {
    const events = records.map(([key, value]) => {
      const e = JSON.parse(value) as OutputEvent;
      expect(key).toBe(e.p_row_id);
      return e;
    });
    const expected = expectedFiles(h, liveRange(h), {});
    expect(expected.length).toBeGreaterThanOrEqual(4); // a cycle without files would prove nothing
    Object.assign(facts, expectExactlyOnce(events, expected));
  }

  scenario(
    {
      id: 'fault/kafka-worker-sigkill',
      scenario: 'kafka sink: worker process SIGKILLed mid-file, twice',
      injected: '2 SIGKILLs of the worker process while files stream to a KRaft broker; a new worker after each',
      compares: 'rows per file seen by a read_committed consumer = simulator ground truth; no duplicate p_row_id',
    },
    async (facts) => {
      const topic = `${TOPIC}-sigkill-${Date.now().toString(36)}`;
      const h = await kafkaHarness('ksigkill', topic);
      try {
        await runCycle(h, 'kafka-sigkill', async (w) => (await w.kill('SIGKILL'), true), 2);
        checkTopic(h, await kafka.readCommitted(topic), facts);
      } finally {
        await h.close();
      }
    },
    480_000,
  );

  scenario(
    {
      id: 'fault/kafka-broker-down',
      scenario: 'kafka sink: the broker briefly down while files stream',
      injected: 'the broker stopped for 4 s mid-cycle, then started again on the same ports and data',
      compares: 'rows per file seen by a read_committed consumer = simulator ground truth; no duplicate p_row_id',
    },
    async (facts) => {
      const topic = `${TOPIC}-down-${Date.now().toString(36)}`;
      const h = await kafkaHarness('kdown', topic);
      try {
        await runCycle(h, 'kafka-down', async () => (await kafka.restart(4000), false), 1);
        checkTopic(h, await kafka.readCommitted(topic), facts);
      } finally {
        await h.close();
      }
    },
    480_000,
  );
});
