/** The `output` mapping of the s3 and kafka sinks and the http sink's auth and panther preset. */
import { messageOf, minimalYaml, parse } from '../fixtures/config/helpers';

const withOutput = (lines: string): string => `output:\n${lines}\n${minimalYaml()}`;

describe('output: s3', () => {
  it('resolves every key, the secret from the environment', () => {
    const config = parse(
      withOutput(
        [
          '  type: s3',
          '  bucket: elf-logs',
          '  prefix: salesforce/',
          '  region: eu-west-1',
          '  endpoint: http://127.0.0.1:7070',
          '  accessKeyId: AKIAEXAMPLE',
          '  secretAccessKey: ${AWS_SECRET}',
          '  gzip: false',
        ].join('\n'),
      ),
      { env: { AWS_SECRET: 'abcdEFGH1234' } },
    );
    expect(config.output).toEqual({
      type: 's3',
      bucket: 'elf-logs',
      prefix: 'salesforce/',
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:7070',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'abcdEFGH1234' },
      gzip: false,
    });
  });

  it('defaults to no prefix, gzip and the AWS default credential chain', () => {
    expect(parse(withOutput('  type: s3\n  bucket: elf-logs\n  region: us-east-1')).output).toEqual({
      type: 's3',
      bucket: 'elf-logs',
      prefix: '',
      region: 'us-east-1',
      gzip: true,
    });
  });

  it.each([
    ['  type: s3\n  bucket: Elf_Logs\n  region: us-east-1', 'output.bucket: "Elf_Logs" is not a valid S3 bucket name'],
    ['  type: s3\n  bucket: elf-logs', 'output.region: is required'],
    [
      '  type: s3\n  bucket: elf-logs\n  region: us-east-1\n  prefix: salesforce',
      'output.prefix: must end with "/" and not start with one (e.g. "salesforce/")',
    ],
    [
      '  type: s3\n  bucket: elf-logs\n  region: us-east-1\n  accessKeyId: AKIA1',
      'output.secretAccessKey: is required with accessKeyId (or secretAccessKeyFile: a file holding it)',
    ],
    [
      '  type: s3\n  bucket: elf-logs\n  region: us-east-1\n  topic: x',
      'output.topic: is not used by output type "s3" (only by kafka)',
    ],
  ])('rejects %j', (lines, expected) => {
    expect(messageOf(withOutput(lines))).toContain(expected);
  });

  it('never quotes the secret access key in a message', () => {
    const text = withOutput(
      '  type: s3\n  bucket: elf-logs\n  region: us-east-1\n  secretAccessKey: "has space secret"',
    );
    const message = messageOf(text);
    expect(message).toContain('output.secretAccessKey: must not contain whitespace');
    expect(message).not.toContain('has space secret');
  });
});

describe('output: kafka', () => {
  it('resolves every key, with the SASL password from the environment', () => {
    const config = parse(
      withOutput(
        [
          '  type: kafka',
          '  brokers: [k1.example.com:9092, k2.example.com:9093]',
          '  topicPerEventType: true',
          '  topicPrefix: sf.',
          '  ssl: true',
          '  sasl:',
          '    mechanism: scram-sha-512',
          '    username: elf',
          '    password: ${KAFKA_PW}',
        ].join('\n'),
      ),
      { env: { KAFKA_PW: 'pw secret' } },
    );
    expect(config.output).toEqual({
      type: 'kafka',
      brokers: ['k1.example.com:9092', 'k2.example.com:9093'],
      topicPerEventType: true,
      topicPrefix: 'sf.',
      progressTopic: 'elfstream-progress',
      clientId: 'elfstream',
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'elf', password: 'pw secret' },
    });
  });

  it.each([
    [
      '  type: kafka\n  brokers: [k1:9092]',
      'output.topic: is required; expected a Kafka topic name (or topicPerEventType: true)',
    ],
    ['  type: kafka\n  brokers: [k1]\n  topic: t', 'output.brokers[0]: "k1" is not a broker address (host:port)'],
    ['  type: kafka\n  brokers: []\n  topic: t', 'output.brokers: must name at least one broker'],
    ['  type: kafka\n  brokers: [k1:9092]\n  topic: "a b"', 'output.topic: "a b" is not a valid Kafka topic name'],
    [
      '  type: kafka\n  brokers: [k1:9092]\n  topic: t\n  topicPerEventType: true',
      'output.topicPerEventType: cannot be used together with topic; set one of them',
    ],
    [
      '  type: kafka\n  brokers: [k1:9092]\n  topic: t\n  sasl:\n    mechanism: plain\n    username: u',
      'output.sasl.password: is required',
    ],
  ])('rejects %j', (lines, expected) => {
    expect(messageOf(withOutput(lines))).toContain(expected);
  });
});

describe('output: http auth and the panther preset', () => {
  const base = '  type: http\n  url: https://logs.acme.runpanther.net/http/abc\n  preset: panther';

  it('resolves an HMAC auth with its defaults', () => {
    const config = parse(withOutput(`${base}\n  auth:\n    type: hmac\n    header: x-sig\n    secret: \${KEY}`), {
      env: { KEY: 'hmac-secret' },
    });
    expect(config.output).toMatchObject({
      type: 'http',
      preset: 'panther',
      format: 'ndjson',
      auth: { type: 'hmac', header: 'x-sig', secret: 'hmac-secret', algorithm: 'sha256', encoding: 'hex' },
    });
  });

  it.each([
    [`${base}\n  auth:\n    type: hmac\n    secret: k`, 'output.auth.header: is required with type hmac'],
    [`${base}\n  auth:\n    type: basic\n    secret: k`, 'output.auth.username: is required with type basic'],
    [`${base}\n  auth:\n    type: bearer`, 'output.auth.secret: is required'],
    [
      `${base}\n  format: splunk-hec`,
      "output.format: must be ndjson with preset panther (Panther's HTTP source reads Lines)",
    ],
    [
      `${base}\n  authorization: Bearer x123456\n  auth:\n    type: bearer\n    secret: k`,
      'output.auth: cannot be used together with authorization or authorizationFile; set one of them',
    ],
    [`${base}x`, 'output.preset: "pantherx" is not'],
  ])('rejects %j', (lines, expected) => {
    expect(messageOf(withOutput(lines))).toContain(expected);
  });
});
