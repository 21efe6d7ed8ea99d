import { CONFIG_DEFAULTS } from '../config/defaults';
import type { KafkaClient, KafkaRecord, KafkaTransaction, KafkaTransactionalProducer } from './kafka-client';
import { plainStringField } from './line-fields';
import type { ChunkReceipt, ChunkWriter, FileSummary, LogFileRef, LogSink } from './types';

/**
 * The kafka sink: one record per event (key `p_row_id`, value the event's JSON) to one topic, or to
 * `<topicPrefix><EventType>` per event type.
 *
 * Exactly once for consumers that read with `isolation.level=read_committed`: each EventLogFile has an idempotent,
 * transactional producer whose transactional id is stable (`elfstream-<sourceId>-<fileId>`), and each chunk is one
 * transaction. Starting the producer fences any older one with the same id — a worker that lost its activity but
 * still runs — and aborts its open transaction, so a half-sent chunk never becomes visible.
 *
 * The gap between a transaction's commit and the activity recording its progress (a crash there makes the next
 * attempt resend the chunk) is closed by a marker in the same transaction: the transaction also commits the offset
 * `chunk + 1` of the consumer group `elfstream-<sourceId>-<fileId>` on the progress topic (Kafka's
 * consume-transform-produce mechanism), so the marker and the records become visible together. When a file is
 * (re)opened, chunks below the group's committed offset are known to be in Kafka and are skipped.
 *
 * What remains at-least-once: the markers live as long as the broker keeps offsets of empty groups
 * (`offsets.retention.minutes`, 7 days by default); a file whose ingestion is resumed after that resends the chunks
 * after its last recorded progress. Consumers can drop those by `p_row_id`.
 */
export interface KafkaSinkOptions {
  client: KafkaClient;
  /** The topic of every event, unless `topicPerEventType`. */
  topic?: string;
  /** One topic per event type: `<topicPrefix><EventType>`. */
  topicPerEventType?: boolean;
  /** Default "salesforce.". */
  topicPrefix?: string;
  /** Topic whose consumer-group offsets mark committed chunks. Default "elfstream-progress". */
  progressTopic?: string;
  /** Records per produce request. Default 1000. */
  batchRecords?: number;
  /**
   * Bytes of record values per produce request. Default 512 KiB: a request's record batch must stay under the
   * broker's `message.max.bytes` (1 MB by default), compression being off.
   */
  batchBytes?: number;
  /** For `describe()`. */
  brokers?: string[];
}

export const DEFAULT_PROGRESS_TOPIC = CONFIG_DEFAULTS.output.kafkaProgressTopic;

/** The producer of one file and how many of its chunks Kafka already has. */
interface FileState {
  producer: KafkaTransactionalProducer;
  /** Chunks 0 … committedChunks-1 are in Kafka. */
  committedChunks: number;
  /** The last chunk transaction's commit (a producer runs one transaction at a time). */
  lastCommit: Promise<unknown>;
}

export class KafkaSink implements LogSink {
  readonly kind = 'kafka' as const;
  private readonly client: KafkaClient;
  private readonly progressTopic: string;
  private readonly batchRecords: number;
  private readonly batchBytes: number;
  private readonly files = new Map<string, Promise<FileState>>();
  private readonly ensured = new Map<string, Promise<void>>();

  constructor(private readonly options: KafkaSinkOptions) {
    if (options.topic === undefined && options.topicPerEventType !== true) {
      throw new Error('kafka sink: set topic, or topicPerEventType: true');
    }
    this.client = options.client;
    this.progressTopic = options.progressTopic ?? DEFAULT_PROGRESS_TOPIC;
    this.batchRecords = options.batchRecords ?? 1000;
    this.batchBytes = options.batchBytes ?? 512 * 1024;
  }

  topicOf(file: LogFileRef): string {
    if (this.options.topicPerEventType === true) return `${this.options.topicPrefix ?? 'salesforce.'}${file.eventType}`;
    return this.options.topic as string;
  }

  /** The consumer group whose committed offset on the progress topic counts the committed chunks of `file`. */
  static progressGroup(file: Pick<LogFileRef, 'sourceId' | 'fileId'>): string {
    return `elfstream-${file.sourceId}-${file.fileId}`;
  }

  async openChunk(file: LogFileRef, chunk: number): Promise<ChunkWriter> {
    const state = await this.fileState(file);
    if (chunk < state.committedChunks) return new CommittedChunkWriter(chunk);
    return new KafkaChunkWriter(this, state, file, chunk);
  }

  async completeFile(file: LogFileRef, _summary: FileSummary): Promise<void> {
    const key = KafkaSink.progressGroup(file);
    const state = this.files.get(key);
    this.files.delete(key);
    if (state !== undefined) await (await state).producer.close();
  }

  describe(): string {
    const to =
      this.options.topicPerEventType === true
        ? `${this.options.topicPrefix ?? 'salesforce.'}<EventType>`
        : this.options.topic;
    return `kafka ${to}${this.options.brokers ? ` at ${this.options.brokers.join(',')}` : ''} (transactional)`;
  }

  async probe(eventTypes: readonly string[]): Promise<string> {
    const at = this.options.brokers?.join(', ') ?? 'the brokers';
    let existing: Set<string>;
    try {
      existing = new Set(await this.client.listTopics());
    } catch (err) {
      const name = (err as { name?: string }).name ?? '';
      const message = err instanceof Error ? err.message : String(err);
      if (/SASLAuthentication|Authentication/.test(name))
        throw new Error(`kafka ${at} refused the credentials (${message}): check output.sasl`);
      throw new Error(`kafka ${at} does not answer: ${message}`);
    }
    const perType = this.options.topicPerEventType === true;
    const prefix = this.options.topicPrefix ?? 'salesforce.';
    if (perType && eventTypes.includes('*')) {
      const have = [...existing].filter((t) => t.startsWith(prefix)).length;
      return `kafka ${at} answers; ${have} ${prefix}<EventType> topics exist, the others are created on first write`;
    }
    const wanted = perType ? eventTypes.map((t) => `${prefix}${t}`) : [this.options.topic as string];
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length === 0) return `kafka ${at} answers; topic ${wanted.join(', ')} exists`;
    return (
      `kafka ${at} answers; topic ${missing.join(', ')} does not exist yet: the sink creates it on first write ` +
      '(the credentials need permission to create topics), or create it yourself'
    );
  }

  async close(): Promise<void> {
    const states = [...this.files.values()];
    this.files.clear();
    await Promise.allSettled(states.map(async (s) => (await s).producer.close()));
    await this.client.close();
  }

  /** @internal */
  get settings(): { progressTopic: string; batchRecords: number; batchBytes: number } {
    return { progressTopic: this.progressTopic, batchRecords: this.batchRecords, batchBytes: this.batchBytes };
  }

  /** @internal Creates a topic once per sink (no-op when it exists). */
  ensureTopic(topic: string, config?: Record<string, string>): Promise<void> {
    let p = this.ensured.get(topic);
    if (p === undefined) {
      p = this.client.ensureTopics([{ topic, ...(config ? { config } : {}) }]);
      p.catch(() => this.ensured.delete(topic));
      this.ensured.set(topic, p);
    }
    return p;
  }

  private fileState(file: LogFileRef): Promise<FileState> {
    const key = KafkaSink.progressGroup(file);
    let state = this.files.get(key);
    if (state === undefined) {
      state = (async (): Promise<FileState> => {
        // One partition: the group's offset for partition 0 is the marker.
        await this.ensureTopic(this.progressTopic);
        // The producer first: connecting aborts an older attempt's open transaction, so the offset read next is
        // final (a pending transactional offset is not returned, and none can commit after the fence).
        const producer = await this.client.transactionalProducer(key);
        const committedChunks = await this.client.committedOffset(key, this.progressTopic);
        return { producer, committedChunks, lastCommit: Promise.resolve() };
      })();
      state.catch(() => this.files.delete(key));
      this.files.set(key, state);
    }
    return state;
  }
}

/** A chunk that an earlier attempt committed: its rows are counted and dropped. */
class CommittedChunkWriter implements ChunkWriter {
  private rows = 0;
  private bytes = 0;
  constructor(private readonly chunk: number) {}
  write(line: string): void {
    this.rows++;
    this.bytes += Buffer.byteLength(line) + 1;
  }
  writeBlock(block: Buffer, lines: number): void {
    this.rows += lines;
    this.bytes += block.length;
  }
  async commit(): Promise<ChunkReceipt> {
    return { chunk: this.chunk, rows: this.rows, bytes: this.bytes };
  }
  async abort(): Promise<void> {}
}

/** Rows of one chunk, sent in batches inside the chunk's transaction, committed with the chunk's marker. */
class KafkaChunkWriter implements ChunkWriter {
  private readonly topic: string;
  /** The previous chunk's commit, which this chunk's transaction waits for. */
  private readonly previous: Promise<unknown>;
  private batch: KafkaRecord[] = [];
  private batchBytes = 0;
  private tx: Promise<KafkaTransaction> | undefined;
  private rows = 0;
  private bytes = 0;
  private closed = false;

  constructor(
    private readonly sink: KafkaSink,
    private readonly state: FileState,
    private readonly file: LogFileRef,
    private readonly chunk: number,
  ) {
    this.topic = sink.topicOf(file);
    this.previous = state.lastCommit;
  }

  write(line: string): void | Promise<void> {
    if (this.closed) throw new Error('kafka sink: chunk already committed or aborted');
    this.add(line);
    if (this.batchFull()) return this.flush();
  }

  writeBlock(block: Buffer, lines: number): void | Promise<void> {
    if (this.closed) throw new Error('kafka sink: chunk already committed or aborted');
    const text = block.toString('utf8');
    let start = 0;
    for (let k = 0; k < lines; k++) {
      const end = text.indexOf('\n', start);
      this.add(text.slice(start, end));
      start = end + 1;
      if (this.batchFull() && k < lines - 1) return this.flushThen(text, start, lines - k - 1);
    }
    if (this.batchFull()) return this.flush();
  }

  async commit(): Promise<ChunkReceipt> {
    if (this.closed) throw new Error('kafka sink: chunk already committed or aborted');
    this.closed = true;
    const committed = (async () => {
      await this.flush();
      const tx = await this.transaction();
      const { progressTopic } = this.sink.settings;
      await tx.sendOffset(KafkaSink.progressGroup(this.file), progressTopic, this.chunk + 1);
      await tx.commit();
    })();
    this.state.lastCommit = committed.catch(() => undefined);
    try {
      await committed;
    } catch (err) {
      throw this.failure(err);
    }
    this.state.committedChunks = this.chunk + 1;
    return { chunk: this.chunk, rows: this.rows, bytes: this.bytes, location: this.topic };
  }

  async abort(): Promise<void> {
    this.closed = true;
    this.batch = [];
    const tx = this.tx;
    this.tx = undefined;
    if (tx !== undefined) await (await tx.catch(() => undefined))?.abort().catch(() => undefined);
  }

  private add(line: string): void {
    const key = plainStringField(line, 'p_row_id');
    if (key === undefined) throw new Error(`kafka sink: an event of ${this.file.fileId} has no p_row_id`);
    const size = Buffer.byteLength(line);
    this.batch.push({ key, value: line });
    this.batchBytes += size + key.length;
    this.rows++;
    this.bytes += size + 1;
  }

  private batchFull(): boolean {
    const s = this.sink.settings;
    return this.batch.length >= s.batchRecords || this.batchBytes >= s.batchBytes;
  }

  /** Sends the full batch, then goes on with the `lines` lines of `text` from `start`. */
  private async flushThen(text: string, start: number, lines: number): Promise<void> {
    await this.flush();
    for (let k = 0; k < lines; k++) {
      const end = text.indexOf('\n', start);
      this.add(text.slice(start, end));
      start = end + 1;
      if (this.batchFull()) await this.flush();
    }
  }

  /** The chunk's transaction, begun once the file's previous chunk is committed. */
  private transaction(): Promise<KafkaTransaction> {
    this.tx ??= (async () => {
      await this.previous;
      await this.sink.ensureTopic(this.topic);
      return this.state.producer.begin();
    })();
    return this.tx;
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const records = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    try {
      const tx = await this.transaction();
      await tx.send(this.topic, records);
    } catch (err) {
      throw this.failure(err);
    }
  }

  private failure(err: unknown): Error {
    const message = err instanceof Error ? err.message : String(err);
    return new Error(
      `kafka sink: chunk ${this.chunk} of ${this.file.fileId} to topic ${this.topic} failed: ${message}`,
      { cause: err },
    );
  }
}
