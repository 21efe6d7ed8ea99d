/**
 * What the kafka sink needs from a Kafka client, so that the client library can be swapped (the one in use is
 * kafkajs, `kafkajs-client.ts`). Semantics are Kafka's: a transactional producer has a stable transactional id,
 * starting one fences (and aborts the open transaction of) any older producer with the same id, and records and
 * consumer-group offsets sent in a transaction become visible together on commit, or never.
 */
export interface KafkaRecord {
  key: string;
  value: Buffer | string;
}

export interface KafkaTransaction {
  send(topic: string, records: KafkaRecord[]): Promise<void>;
  /** Commits `offset` for partition 0 of `topic` in consumer group `groupId`, as part of this transaction. */
  sendOffset(groupId: string, topic: string, offset: number): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface KafkaTransactionalProducer {
  begin(): Promise<KafkaTransaction>;
  close(): Promise<void>;
}

export interface KafkaClient {
  /** The names of the cluster's topics. */
  listTopics(): Promise<string[]>;
  /** Creates the topics that do not exist yet. */
  ensureTopics(topics: { topic: string; partitions?: number; config?: Record<string, string> }[]): Promise<void>;
  /** The committed offset of partition 0 of `topic` for `groupId`; 0 when none is committed. */
  committedOffset(groupId: string, topic: string): Promise<number>;
  /** A connected idempotent, transactional producer (connecting fences older producers with the same id). */
  transactionalProducer(transactionalId: string): Promise<KafkaTransactionalProducer>;
  close(): Promise<void>;
}
