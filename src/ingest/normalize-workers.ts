import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  transferList,
  type BatchMessage,
  type ErrorMessage,
  type InitMessage,
  type ResultMessage,
  type ToWorkerMessage,
} from './offload-protocol';

/**
 * The normalize worker threads of this process, shared by every file it ingests. Normalizing (decoding the packed
 * values, row ids, JSON, UTF-8 encoding, and the chunk digests a sink records) in worker threads lets it overlap with
 * CSV parsing in the ingesting thread; on a large file that is most of the difference between the pipeline's
 * throughput and csv-parse's alone.
 *
 * At most one thread per core. Parsing is a small share of the work (about a seventh of normalizing), so a worker
 * ingesting several files at once spends its cores best when every file is normalized in a worker thread and the
 * ingesting thread only parses: a new file goes to a thread of its own while there are fewer than cores, else to the
 * thread with the fewest files. A thread ends when its last file does. With a single core there is nothing to
 * overlap, and files are normalized in the ingesting thread.
 */
export class NormalizeWorkers {
  /** The process's pool, sized to its cores. */
  static readonly shared = new NormalizeWorkers(() => os.availableParallelism());

  private readonly threads = new Set<NormalizeThread>();
  private nextStream = 1;

  constructor(private readonly size: () => number) {}

  /** Whether offloading helps: there is more than one core. */
  get available(): boolean {
    return this.size() > 1;
  }

  /** Threads running now. */
  get threadCount(): number {
    return this.threads.size;
  }

  /** Starts normalizing a file in a worker thread; `init` is everything but the stream id. */
  open(init: Omit<InitMessage, 'type' | 'stream'>): NormalizeStream {
    let thread: NormalizeThread | undefined;
    if (this.threads.size < Math.max(1, this.size())) {
      thread = new NormalizeThread(() => this.threads.delete(thread as NormalizeThread));
      this.threads.add(thread);
    } else {
      for (const t of this.threads) if (thread === undefined || t.streamCount < thread.streamCount) thread = t;
    }
    return (thread as NormalizeThread).open({ ...init, type: 'init', stream: this.nextStream++ });
  }
}

/** One file's batches on a normalize thread, answered in the order they were submitted. */
export interface NormalizeStream {
  /** Normalizes a batch. The promise never rejects unobserved (it is pre-handled). */
  submit(batch: Omit<BatchMessage, 'stream'>): Promise<ResultMessage>;
  /** After the last batch: the last chunk's digest, when the thread hashes chunks. */
  end(): Promise<ResultMessage>;
  /** Done with the stream (finished or given up); the thread ends when it was its last. */
  close(): Promise<void>;
}

type Pending = { resolve: (r: ResultMessage) => void; reject: (e: Error) => void }[];

class NormalizeThread {
  private readonly worker: Worker;
  /** Open streams and their unanswered messages. */
  private readonly streams = new Map<number, { pending: Pending; failure?: Error }>();
  private exited = false;

  /** `retire` takes the thread out of the pool: when its last stream closes, or when it exits. */
  constructor(private readonly retire: () => void) {
    this.worker = spawnWorker();
    this.worker.on('message', (msg: ResultMessage | ErrorMessage) => {
      const stream = this.streams.get(msg.stream);
      if (stream === undefined) return; // closed meanwhile
      if (msg.type === 'result') stream.pending.shift()?.resolve(msg);
      else
        this.failStream(msg.stream, Object.assign(new Error(`normalize worker: ${msg.message}`), { stack: msg.stack }));
    });
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.retire();
      this.failAll(new Error(`normalize worker exited with code ${code}`));
    });
  }

  get streamCount(): number {
    return this.streams.size;
  }

  open(init: InitMessage): NormalizeStream {
    const id = init.stream;
    this.streams.set(id, { pending: [] });
    this.post(init, []);
    return {
      submit: (batch) => {
        const message: BatchMessage = { ...batch, stream: id };
        return this.send(id, message, transferList(message));
      },
      end: () => this.send(id, { type: 'end', stream: id }, []),
      close: () => this.close(id),
    };
  }

  private send(id: number, message: ToWorkerMessage, transfer: ArrayBuffer[]): Promise<ResultMessage> {
    const stream = this.streams.get(id);
    const failure = stream === undefined ? new Error('normalize stream is closed') : stream.failure;
    const p =
      failure !== undefined
        ? Promise.reject(failure)
        : new Promise<ResultMessage>((resolve, reject) => stream?.pending.push({ resolve, reject }));
    p.catch(() => undefined); // awaited later by the pipeline; an early failure must not be "unhandled"
    if (failure === undefined) this.post(message, transfer);
    return p;
  }

  private async close(id: number): Promise<void> {
    if (!this.streams.delete(id)) return;
    if (this.streams.size > 0) return this.post({ type: 'close', stream: id }, []);
    this.retire(); // before it ends, so that no new file is given to it
    if (!this.exited) await this.worker.terminate();
  }

  private post(message: ToWorkerMessage, transfer: ArrayBuffer[]): void {
    if (!this.exited) this.worker.postMessage(message, transfer);
  }

  private failStream(id: number, err: Error): void {
    const stream = this.streams.get(id);
    if (stream === undefined) return;
    stream.failure ??= err;
    for (const p of stream.pending.splice(0)) p.reject(stream.failure);
  }

  private failAll(err: Error): void {
    for (const id of this.streams.keys()) this.failStream(id, err);
  }
}

/**
 * A small young generation for the worker: its heap would otherwise add about 25 MB to the process's peak RSS on a
 * large file, for a little less garbage-collection time on a thread that is idle part of the time anyway.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * Starts `normalize-worker` next to this module: the compiled `.js` in production; under ts-jest or tsx (`.ts`
 * sources), through tsx's CommonJS register, since worker threads do not inherit jest's transform.
 */
function spawnWorker(): Worker {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `normalize-worker${ext}`);
  if (ext !== '.ts') return new Worker(entry, { resourceLimits: RESOURCE_LIMITS });
  const tsx = require.resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  return new Worker(code, { eval: true });
}
