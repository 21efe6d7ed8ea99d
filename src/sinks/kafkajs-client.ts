import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { KafkaClient, KafkaTransaction, KafkaTransactionalProducer } from './kafka-client';

/** Connection settings, as kafkajs takes them (https://kafka.js.org/docs/configuration). */
export interface KafkajsOptions {
  brokers: string[];
  clientId?: string;
  ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string; cert?: string; key?: string };
  sasl?: SASLOptions;
  /** Per request. Default 30 s. */
  requestTimeoutMs?: number;
  /** Retries of kafkajs's own retrier before an operation fails. Default 8. */
  retries?: number;
}

/** {@link KafkaClient} on kafkajs. */
export class KafkajsClient implements KafkaClient {
  private readonly kafka: Kafka;
  private readonly admin;
  private adminConnected: Promise<void> | undefined;

  constructor(options: KafkajsOptions) {
    const config: KafkaConfig = {
      brokers: options.brokers,
      clientId: options.clientId ?? 'elfstream',
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      retry: { retries: options.retries ?? 8, initialRetryTime: 300, maxRetryTime: 10_000 },
      // kafkajs logs connection errors it retries itself at ERROR level; failures that matter reach the caller.
      logLevel: logLevel.NOTHING,
      ...(options.ssl !== undefined ? { ssl: options.ssl } : {}),
      ...(options.sasl !== undefined ? { sasl: options.sasl } : {}),
    };
    this.kafka = new Kafka(config);
    this.admin = this.kafka.admin();
  }

  async listTopics(): Promise<string[]> {
    await this.connectAdmin();
    return this.admin.listTopics();
  }

  async ensureTopics(topics: { topic: string; partitions?: number; config?: Record<string, string> }[]) {
    await this.connectAdmin();
    const existing = new Set(await this.admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions ?? -1,
        replicationFactor: -1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  async committedOffset(groupId: string, topic: string): Promise<number> {
    await this.connectAdmin();
    const [entry] = await retryRetriable(() => this.admin.fetchOffsets({ groupId, topics: [topic] }));
    const offset = Number(entry?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    return offset > 0 ? offset : 0;
  }

  async transactionalProducer(transactionalId: string): Promise<KafkaTransactionalProducer> {
    const producer = this.kafka.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return {
      async begin(): Promise<KafkaTransaction> {
        const tx = await producer.transaction();
        return {
          async send(topic, records) {
            // A topic created a moment ago may not be known to every broker yet; a refused send wrote nothing.
            await retryRetriable(() => tx.send({ topic, acks: -1, messages: records }));
          },
          async sendOffset(groupId, topic, offset) {
            await tx.sendOffsets({
              consumerGroupId: groupId,
              topics: [{ topic, partitions: [{ partition: 0, offset: String(offset) }] }],
            });
          },
          commit: () => tx.commit(),
          abort: () => tx.abort(),
        };
      },
      close: () => producer.disconnect(),
    };
  }

  async close(): Promise<void> {
    if (this.adminConnected !== undefined) await this.admin.disconnect();
  }

  private connectAdmin(): Promise<void> {
    this.adminConnected ??= this.admin.connect().catch((err: unknown) => {
      this.adminConnected = undefined;
      throw err;
    });
    return this.adminConnected;
  }
}

/**
 * Retries what Kafka marks retriable (a group coordinator still loading or moving, a leader election) and kafkajs's
 * admin client does not retry itself, for up to about 30 s.
 */
async function retryRetriable<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if ((err as { retriable?: boolean }).retriable !== true || attempt >= 15) throw err;
      await new Promise((r) => setTimeout(r, Math.min(4000, 250 * attempt)));
    }
  }
}
