/**
 * The kafka sink against a real Apache Kafka broker (KRaft, on loopback): one record per event keyed by p_row_id,
 * chunks that are invisible to read_committed consumers until committed, and a resume after a crash between a
 * chunk's commit and the recording of progress that does not send the chunk again.
 */
import type { LogFileRef } from '../../src/sinks';
import { KafkaSink } from '../../src/sinks/kafka';
import { KafkajsClient } from '../../src/sinks/kafkajs-client';
import { startKafka, type KafkaTestBroker } from '../helpers/sink-servers';
import { checkOutput } from '../../src/cli/verify-checks';
import { freePort } from '../../scripts/loopback';

const FILE: LogFileRef = {
  sourceId: 'acme',
  orgId: '00D000000000001',
  fileId: '0AT000000000002',
  eventType: 'URI',
  logDate: '2026-11-02T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 1,
};
const rows = (chunk: number, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `{"p_row_id":"k${chunk}-${i}","p_log_type":"Salesforce.URI","n":${i}}`);

describe('kafka sink', () => {
  let kafka: KafkaTestBroker;
  beforeAll(async () => (kafka = await startKafka('sink-kafka')), 180_000);
  afterAll(async () => kafka?.stop());

  const sinkFor = (topic: string) =>
    new KafkaSink({ client: new KafkajsClient({ brokers: kafka.brokers }), topic, batchRecords: 100 });

  async function writeChunk(sink: KafkaSink, chunk: number, lines: string[], file = FILE) {
    const w = await sink.openChunk(file, chunk);
    for (const l of lines) await w.write(l);
    return w.commit();
  }

  it('commits each chunk once: a crash after commit, and one mid-chunk, leave every row once for read_committed', async () => {
    const topic = 'events-resume';
    const crashed = sinkFor(topic);
    await writeChunk(crashed, 0, rows(0, 250));
    await writeChunk(crashed, 1, rows(1, 250));
    // Chunk 2 is half sent in its open transaction when the worker dies (no abort, no close).
    const half = await crashed.openChunk(FILE, 2);
    for (const l of rows(2, 150)) await half.write(l);

    // The retry starts over from chunk 0: its recorded progress never reached Temporal.
    const resumed = sinkFor(topic);
    const receipts = [];
    for (let c = 0; c < 3; c++) receipts.push(await writeChunk(resumed, c, rows(c, c === 2 ? 300 : 250)));
    expect(receipts.map((r) => [r.chunk, r.rows])).toEqual([
      [0, 250],
      [1, 250],
      [2, 300],
    ]);
    await resumed.completeFile(FILE, { rows: 800, chunks: receipts, malformedRows: 0, unknownColumns: [] });
    await resumed.close();
    await crashed.close().catch(() => undefined); // fenced: its producer can no longer commit

    const seen = await kafka.readCommitted(topic);
    const expected = [...rows(0, 250), ...rows(1, 250), ...rows(2, 300)];
    expect(seen.map(([, v]) => v)).toEqual(expected);
    expect(seen.every(([k, v]) => v.includes(`"p_row_id":"${k}"`))).toBe(true);
  });

  it('routes each event type to its own topic with topicPerEventType', async () => {
    const sink = new KafkaSink({
      client: new KafkajsClient({ brokers: kafka.brokers }),
      topicPerEventType: true,
      topicPrefix: 'sf.',
    });
    // Another file: the first test's file has its three chunks marked committed, so they would be skipped.
    await writeChunk(sink, 0, rows(0, 20), { ...FILE, fileId: '0AT000000000004' });
    await sink.close();
    expect((await kafka.readCommitted('sf.URI')).length).toBe(20);
  });

  it('lets `elfstream verify` see the cluster and which topics exist, and name a broker that does not answer', async () => {
    const output = (brokers: string[], topic: string) =>
      ({
        type: 'kafka',
        brokers,
        topic,
        topicPerEventType: false,
        topicPrefix: 'salesforce.',
        progressTopic: 'elfstream.progress',
        clientId: 'elfstream',
        ssl: false,
      }) as const;
    const at = kafka.brokers.join(', ');
    expect(await checkOutput(output(kafka.brokers, 'sf.URI'), ['URI'])).toEqual({
      ok: true,
      line: `output: kafka ${at} answers; topic sf.URI exists`,
    });
    expect(await checkOutput(output(kafka.brokers, 'not-yet'), ['URI'])).toEqual({
      ok: true,
      line:
        `output: kafka ${at} answers; topic not-yet does not exist yet: the sink creates it on first write ` +
        '(the credentials need permission to create topics), or create it yourself',
    });
    const down = `127.0.0.1:${await freePort()}`;
    const refused = await checkOutput(output([down], 'sf.URI'), ['URI']);
    expect(refused.ok).toBe(false);
    expect(refused.line).toMatch(new RegExp(`^output: kafka ${down} does not answer: .*(ECONNREFUSED|Connection)`));
  }, 60_000);
});
