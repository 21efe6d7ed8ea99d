import type { OutputConfig } from '../config/types';
import { FileSink } from './file';
import { HttpSink, PANTHER_PRESET } from './http';
import { StdoutSink } from './stdout';
import type * as KafkaModule from './kafka';
import type * as KafkajsModule from './kafkajs-client';
import type * as S3Module from './s3';
import type { LogSink } from './types';

// The s3 and kafka sinks are not re-exported here: their client libraries (the AWS SDK, kafkajs) add about 50 MB to
// every process that loads them, so `createSink` loads them only when the output is theirs. Import them from
// './s3' and './kafka' directly.

export { FileSink, type FileManifest, type FileSinkOptions } from './file';
export { HttpSink, HttpSinkError, PANTHER_PRESET, type HttpAuth, type HttpSinkOptions } from './http';
export { StdoutSink, type StdoutSinkOptions } from './stdout';
export type { ChunkReceipt, ChunkWriter, FileSummary, LogFileRef, LogSink } from './types';

/* eslint-disable @typescript-eslint/no-require-imports -- the s3 and kafka sinks load on demand, see above */
/** The sink a worker writes to, from the `output` section of the configuration. */
export function createSink(output: OutputConfig, tuning: { kafkaRetries?: number } = {}): LogSink {
  switch (output.type) {
    case 'file':
      return new FileSink({ dir: output.dir, gzip: output.gzip, fileMode: output.fileMode, dirMode: output.dirMode });
    case 'stdout':
      return new StdoutSink();
    case 'http':
      return new HttpSink({
        url: output.url,
        format: output.format,
        authorization: output.authorization,
        gzip: output.gzip,
        batchSize: output.batchSize,
        headers: output.headers,
        ...(output.auth !== undefined ? { auth: output.auth } : {}),
        ...(output.preset === 'panther'
          ? { maxBatchBytes: PANTHER_PRESET.maxBatchBytes, maxRequestBytes: PANTHER_PRESET.maxRequestBytes }
          : {}),
      });
    case 's3': {
      const { S3Sink } = require('./s3') as typeof S3Module;
      return new S3Sink({
        bucket: output.bucket,
        prefix: output.prefix,
        region: output.region,
        gzip: output.gzip,
        ...(output.endpoint !== undefined ? { endpoint: output.endpoint } : {}),
        ...(output.credentials !== undefined ? { credentials: output.credentials } : {}),
      });
    }
    case 'kafka': {
      const { KafkaSink } = require('./kafka') as typeof KafkaModule;
      const { KafkajsClient } = require('./kafkajs-client') as typeof KafkajsModule;
      return new KafkaSink({
        client: new KafkajsClient({
          brokers: output.brokers,
          clientId: output.clientId,
          ssl: output.ssl,
          ...(output.sasl !== undefined ? { sasl: output.sasl } : {}),
          ...(tuning.kafkaRetries !== undefined ? { retries: tuning.kafkaRetries } : {}),
        }),
        ...(output.topic !== undefined ? { topic: output.topic } : {}),
        topicPerEventType: output.topicPerEventType,
        topicPrefix: output.topicPrefix,
        progressTopic: output.progressTopic,
        brokers: output.brokers,
      });
    }
  }
}
