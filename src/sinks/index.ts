import type { OutputConfig } from '../config/types';
import { FileSink } from './file';
import { HttpSink, PANTHER_PRESET } from './http';
import { KafkaSink } from './kafka';
import { KafkajsClient } from './kafkajs-client';
import { S3Sink } from './s3';
import { StdoutSink } from './stdout';
import type { LogSink } from './types';

export { FileSink, type FileManifest, type FileSinkOptions } from './file';
export { HttpSink, HttpSinkError, PANTHER_PRESET, type HttpAuth, type HttpSinkOptions } from './http';
export { KafkaSink, type KafkaSinkOptions } from './kafka';
export type { KafkaClient } from './kafka-client';
export { KafkajsClient, type KafkajsOptions } from './kafkajs-client';
export { S3Sink, S3SinkError, type S3Manifest, type S3SinkOptions } from './s3';
export { StdoutSink, type StdoutSinkOptions } from './stdout';
export type { ChunkReceipt, ChunkWriter, FileSummary, LogFileRef, LogSink } from './types';

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
    case 's3':
      return new S3Sink({
        bucket: output.bucket,
        prefix: output.prefix,
        region: output.region,
        gzip: output.gzip,
        ...(output.endpoint !== undefined ? { endpoint: output.endpoint } : {}),
        ...(output.credentials !== undefined ? { credentials: output.credentials } : {}),
      });
    case 'kafka':
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
