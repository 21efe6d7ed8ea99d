import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * A worker loads the heavy client libraries only when its configuration uses them: the AWS SDK (s3 output) and
 * kafkajs (kafka output) add about 50 MB to every process that loads them, jsforce (SOAP login only) about 40 MB.
 * A fresh Node process loads the worker's modules and reports which of those libraries it loaded.
 */
const ROOT = path.resolve(__dirname, '../..');
const HEAVY = /node_modules\/(@aws-sdk\/client-s3|kafkajs|jsforce)\//;

function loadedAfter(code: string): string[] {
  const script = `${code}
    const names = Object.keys(require.cache).filter((k) => ${HEAVY}.test(k)).map((k) => ${HEAVY}.exec(k)[1]);
    console.log(JSON.stringify([...new Set(names)].sort()));`;
  const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as string[];
}

it('a worker with a file output and OAuth loads neither the AWS SDK, kafkajs nor jsforce', () => {
  const code = `
    require('./src/worker');
    require('./src/activities');
    require('./src/salesforce/client');
    require('./src/sinks').createSink({ type: 'file', dir: '/tmp/elfstream-lazy', gzip: true });`;
  expect(loadedAfter(code)).toEqual([]);
}, 60_000);

it('an s3 or kafka output loads its own client library, and only that one', () => {
  const s3 = `require('./src/sinks').createSink({ type: 's3', bucket: 'b', prefix: '', region: 'us-east-1', gzip: true });`;
  const kafka = `require('./src/sinks').createSink({ type: 'kafka', brokers: ['127.0.0.1:1'], topic: 't',
    topicPerEventType: false, topicPrefix: 'salesforce.', progressTopic: 'p', clientId: 'c', ssl: false });`;
  expect(loadedAfter(s3)).toEqual(['@aws-sdk/client-s3']);
  expect(loadedAfter(kafka)).toEqual(['kafkajs']);
}, 60_000);
