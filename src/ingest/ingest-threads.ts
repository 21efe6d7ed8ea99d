import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  transferList,
  type ConsumedMessage,
  type EndMessage,
  type ErrorMessage,
  type FromThreadMessage,
  type HeaderMessage,
  type InitMessage,
  type ResultMessage,
  type ToThreadMessage,
} from './offload-protocol';

/** Body pieces handed to a thread and not yet decoded: enough to keep it busy, few enough to bound memory. */
const MAX_PIECES_IN_FLIGHT = 4;
/** Answers received and not yet taken: beyond this the body waits, so a slow sink holds back the download. */
const MAX_ANSWERS_WAITING = 16;

/**
 * The ingest worker threads of this process, shared by every file it ingests. A large file is decoded, parsed and
 * normalized in one of them (see `offload-protocol.ts`), which lets that work overlap with the ingesting thread's
 * reading and writing, and keeps the per-byte garbage out of the ingesting thread's heap.
 *
 * At most one thread per core: a new file goes to a thread of its own while there are fewer than cores, else to the
 * thread with the fewest files. A thread ends when its last file does. With a single core there is nothing to
 * overlap, and files are ingested in the ingesting thread.
 */
export class IngestThreads {
  /** The process's pool, sized to its cores. */
  static readonly shared = new IngestThreads(() => os.availableParallelism());

  private readonly threads = new Set<IngestThread>();
  private nextStream = 1;

  constructor(private readonly size: () => number) {}

  /** Whether a thread helps: there is more than one core. */
  get available(): boolean {
    return this.size() > 1;
  }

  /** Threads running now. */
  get threadCount(): number {
    return this.threads.size;
  }

  /** Starts ingesting a file in a worker thread; `init` is everything but the stream id. */
  open(init: Omit<InitMessage, 'type' | 'stream'>): ThreadedFile {
    let thread: IngestThread | undefined;
    if (this.threads.size < Math.max(1, this.size())) {
      thread = new IngestThread(() => this.threads.delete(thread as IngestThread));
      this.threads.add(thread);
    } else {
      for (const t of this.threads) if (thread === undefined || t.fileCount < thread.fileCount) thread = t;
    }
    return (thread as IngestThread).open({ ...init, type: 'init', stream: this.nextStream++ });
  }
}

/** What a thread answers about a file, in order. */
export type FileAnswer = HeaderMessage | ResultMessage | EndMessage | ErrorMessage;

/** One file on an ingest thread. */
export class ThreadedFile {
  private readonly answers: FileAnswer[] = [];
  private waiting: ((answer: FileAnswer) => void) | undefined;
  private inFlight = 0;
  private room: (() => void) | undefined;
  private failed = false;

  constructor(
    readonly id: number,
    private readonly post: (message: ToThreadMessage) => void,
    private readonly closed: (file: ThreadedFile) => Promise<void>,
  ) {}

  /**
   * Hands on a piece of the body, copied into a buffer that goes to the thread for good (so that this thread holds
   * no garbage of it); resolves once the thread has room for more.
   */
  async write(piece: Buffer): Promise<void> {
    if (this.failed || piece.length === 0) return;
    const bytes = new Uint8Array(piece.length);
    bytes.set(piece);
    this.inFlight++;
    this.post({ type: 'bytes', stream: this.id, bytes });
    while ((this.inFlight >= MAX_PIECES_IN_FLIGHT || this.answers.length >= MAX_ANSWERS_WAITING) && !this.failed) {
      await new Promise<void>((resolve) => (this.room = resolve));
    }
  }

  /** The body is complete. */
  end(): void {
    if (!this.failed) this.post({ type: 'end', stream: this.id });
  }

  /** The thread's next answer about this file. */
  next(): Promise<FileAnswer> {
    const answer = this.answers.shift();
    if (answer !== undefined) {
      this.wake();
      return Promise.resolve(answer);
    }
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** A block the sink is done with: its buffer goes back to the thread for later blocks. */
  recycle(block: Uint8Array): void {
    if (block.byteLength > 0 && !this.failed) this.post({ type: 'recycle', buffer: block.buffer as ArrayBuffer });
  }

  /** Done with the file (finished or given up). */
  close(): Promise<void> {
    this.failed = true;
    this.wake();
    return this.closed(this);
  }

  /** @internal From the thread. */
  receive(message: ConsumedMessage | FileAnswer): void {
    if (message.type === 'consumed') {
      this.inFlight--;
      this.wake();
      return;
    }
    if (message.type === 'error') {
      this.failed = true;
      this.wake();
    }
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting !== undefined) waiting(message);
    else this.answers.push(message);
  }

  private wake(): void {
    const room = this.room;
    this.room = undefined;
    room?.();
  }
}

class IngestThread {
  private readonly worker: Worker;
  private readonly files = new Map<number, ThreadedFile>();
  private exited = false;

  /** `retire` takes the thread out of the pool: when its last file closes, or when it exits. */
  constructor(private readonly retire: () => void) {
    this.worker = spawnWorker();
    this.worker.on('message', (msg: FromThreadMessage) => this.files.get(msg.stream)?.receive(msg));
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.retire();
      this.failAll(new Error(`ingest thread exited with code ${code}`));
    });
  }

  get fileCount(): number {
    return this.files.size;
  }

  open(init: InitMessage): ThreadedFile {
    const file = new ThreadedFile(
      init.stream,
      (message) => this.post(message),
      (f) => this.close(f),
    );
    this.files.set(init.stream, file);
    this.post(init);
    return file;
  }

  private async close(file: ThreadedFile): Promise<void> {
    if (!this.files.delete(file.id)) return;
    if (this.files.size > 0) return this.post({ type: 'close', stream: file.id });
    this.retire(); // before it ends, so that no new file is given to it
    if (!this.exited) await this.worker.terminate();
  }

  private post(message: ToThreadMessage): void {
    if (!this.exited) this.worker.postMessage(message, transferList(message));
  }

  private failAll(err: Error): void {
    for (const file of this.files.values()) {
      file.receive({ type: 'error', stream: file.id, kind: 'internal', message: err.message, stack: err.stack });
    }
  }
}

/**
 * A small young generation for the thread: it collects the per-byte garbage (decoded pieces, strings) within
 * milliseconds, where the default would let it pile up to tens of MB before each collection.
 */
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 4 };

/**
 * Starts `ingest-thread` next to this module: the compiled `.js` in production; under ts-jest or tsx (`.ts`
 * sources), through tsx's CommonJS register, since worker threads do not inherit jest's transform.
 */
function spawnWorker(): Worker {
  const ext = path.extname(__filename);
  const entry = path.join(__dirname, `ingest-thread${ext}`);
  if (ext !== '.ts') return new Worker(entry, { resourceLimits: RESOURCE_LIMITS });
  const tsx = require.resolve('tsx/cjs/api');
  const code = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  return new Worker(code, { eval: true });
}
