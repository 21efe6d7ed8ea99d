import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  transferList,
  type BatchMessage,
  type EndMessage,
  type ErrorMessage,
  type InitMessage,
  type ResultMessage,
} from './offload-protocol';

/**
 * The pipeline's handle on its normalize worker thread. Normalizing (decoding the packed values, row ids, JSON,
 * UTF-8 encoding, and the chunk digests a sink records) in a second thread lets it overlap with CSV parsing in this
 * one; on a large file that is most of the difference between the pipeline's throughput and csv-parse's alone.
 *
 * Batches are answered in the order they were submitted. A worker failure rejects every pending batch.
 */
export class NormalizeWorkerClient {
  /** Normalize workers of this process that have not exited. */
  private static live = 0;

  /**
   * Whether another file's rows should go to a worker of their own: up to one worker per core. Parsing is a small
   * share of the work (about a seventh of normalizing), so on a worker ingesting several files at once the cores are
   * best spent normalizing, while the parsing thread parses every file and normalizes those beyond one per core.
   * With a single core there is nothing to overlap.
   */
  static hasSpareCore(): boolean {
    const cores = os.availableParallelism();
    return cores > 1 && NormalizeWorkerClient.live < cores;
  }

  private readonly worker: Worker;
  private readonly pending: { resolve: (r: ResultMessage) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;
  private exited = false;

  constructor(init: InitMessage) {
    this.worker = spawnWorker();
    NormalizeWorkerClient.live++;
    this.worker.on('message', (msg: ResultMessage | ErrorMessage) => {
      if (msg.type === 'result') this.pending.shift()?.resolve(msg);
      else this.fail(Object.assign(new Error(`normalize worker: ${msg.message}`), { stack: msg.stack }));
    });
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      NormalizeWorkerClient.live--;
      if (this.pending.length > 0) this.fail(new Error(`normalize worker exited with code ${code}`));
    });
    this.worker.postMessage(init);
  }

  /** Batches submitted and not yet answered. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** Normalizes a batch in the worker. The promise never rejects unobserved (it is pre-handled). */
  submit(batch: BatchMessage): Promise<ResultMessage> {
    return this.send(batch, transferList(batch));
  }

  /** After the last batch: the last chunk's digest, when the worker hashes chunks. */
  end(): Promise<ResultMessage> {
    const end: EndMessage = { type: 'end' };
    return this.send(end, []);
  }

  private send(message: BatchMessage | EndMessage, transfer: ArrayBuffer[]): Promise<ResultMessage> {
    const p =
      this.failure !== undefined
        ? Promise.reject(this.failure)
        : new Promise<ResultMessage>((resolve, reject) => this.pending.push({ resolve, reject }));
    p.catch(() => undefined); // awaited later by the pipeline; an early failure must not be "unhandled"
    if (this.failure === undefined) this.worker.postMessage(message, transfer);
    return p;
  }

  async terminate(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.splice(0)) p.reject(this.failure);
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
