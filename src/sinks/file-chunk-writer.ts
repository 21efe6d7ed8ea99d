import crypto from 'node:crypto';
import { once } from 'node:events';
import fs, { promises as fsp } from 'node:fs';
import { Transform, type TransformOptions, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { BufferPool } from './buffer-pool';
import { publish, tempPathFor } from './durable-fs';
import { LineBuffer } from './line-buffer';
import type { ChunkReceipt, ChunkWriter } from './types';

/**
 * Compression and file writes run on the libuv thread pool, but each step is scheduled from this thread's event
 * loop, which is busy most of the time. Few large steps keep them running in the background: blocks are staged to
 * 1 MiB per write, the compressor's output buffer holds a whole step's output, and a few MiB may queue before writers
 * are asked to wait. (With stream defaults every 64 KiB block waited for the previous one.)
 * Blocks are copied into staging buffers that are reused once written (see {@link stagingBuffers}): the caller reuses
 * its blocks, and a buffer per step freed only by garbage collection was, on a large file, tens of MB of resident
 * memory at a time.
 */
const STAGE_BYTES = 1024 * 1024;
const QUEUE_BYTES = 4 * 1024 * 1024;
const ZLIB_OUTPUT_BYTES = 128 * 1024;

/** Staging buffers for the chunk writers of one sink (several files may be written at once). */
export function stagingBuffers(): BufferPool {
  return new BufferPool(STAGE_BYTES, 4 * (QUEUE_BYTES / STAGE_BYTES));
}

export interface FileChunkOptions {
  /** Compress with gzip at this level; undefined: plain NDJSON. */
  gzipLevel: number | undefined;
  /** fsync the file and its directory on commit. */
  durable: boolean;
  /** Permission mode of the chunk file (less the umask). */
  mode: number;
  /** The caller passes the NDJSON's sha256 to `commit` (see `OpenChunkOptions`). */
  sha256ByCaller: boolean;
  /** Where blocks are staged before each write (see {@link stagingBuffers}). */
  stages: BufferPool;
}

/** One chunk being written: lines -> blocks -> (gzip) -> temp file; commit renames it into place. */
export class FileChunkWriter implements ChunkWriter {
  private readonly tempPath: string;
  private readonly lines = new LineBuffer();
  /** Of the bytes as stored: compressed ones when gzip is on. */
  private readonly hash = crypto.createHash('sha256');
  /** What `hash` is fed: the compressed stream, the plain blocks, or nothing (plain, the caller hashes). */
  private readonly hashing: 'compressed' | 'blocks' | 'caller';
  private readonly durable: boolean;
  private readonly gzip: boolean;
  private readonly head: Writable;
  private readonly done: Promise<void>;
  private failure: Error | undefined;
  private readonly stages: BufferPool;
  /** The staging buffer being filled, and how much of it is. */
  private stage: Buffer | undefined;
  private staged = 0;
  private rows = 0;
  private bytes = 0;
  private closed = false;

  constructor(
    private readonly chunk: number,
    private readonly finalPath: string,
    options: FileChunkOptions,
  ) {
    const { gzipLevel } = options;
    this.tempPath = tempPathFor(finalPath);
    this.gzip = gzipLevel !== undefined;
    this.durable = options.durable;
    this.stages = options.stages;
    this.hashing = this.gzip ? 'compressed' : options.sha256ByCaller ? 'caller' : 'blocks';
    const out = fs.createWriteStream(this.tempPath, { flags: 'wx', mode: options.mode, highWaterMark: QUEUE_BYTES });
    if (gzipLevel === undefined) {
      this.head = out;
      this.done = new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.once('close', resolve);
      });
    } else {
      // (zlib streams take stream options too; @types/node does not list them.)
      const options: zlib.ZlibOptions & TransformOptions = {
        level: gzipLevel,
        chunkSize: ZLIB_OUTPUT_BYTES,
        writableHighWaterMark: QUEUE_BYTES,
      };
      const gz = zlib.createGzip(options);
      this.head = gz;
      this.done = pipeline(
        gz,
        tapStream((buf) => this.hash.update(buf)),
        out,
      );
    }
    // Remember the first error; it is rethrown by the next write, commit or drain wait.
    this.done.catch((err: Error) => (this.failure ??= err));
  }

  write(line: string): void | Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    this.rows++;
    if (this.lines.add(line)) return this.flush();
  }

  writeBlock(block: Buffer, lines: number): void | Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const pending = this.flush(); // keep line order: buffered lines first
    this.rows += lines;
    if (pending !== undefined) return pending.then(() => this.put(block));
    return this.put(block);
  }

  async commit(sha256?: string): Promise<ChunkReceipt> {
    if (this.closed) throw new Error('file sink: chunk already committed or aborted');
    if (this.hashing === 'caller' && sha256 === undefined) {
      throw new Error('file sink: a chunk opened with sha256ByCaller needs its sha256 to commit');
    }
    await this.flush();
    if (!this.writeStage()) await this.drain();
    this.closed = true;
    this.head.end();
    await this.done;
    if (this.failure !== undefined) throw this.failure;
    await publish(this.tempPath, this.finalPath, this.durable);
    const { size } = await fsp.stat(this.finalPath);
    const storedSha256 = this.hashing === 'caller' ? (sha256 as string) : this.hash.digest('hex');
    return {
      chunk: this.chunk,
      rows: this.rows,
      bytes: this.bytes,
      location: this.finalPath,
      storedBytes: size,
      storedSha256,
      ...(this.gzip ? {} : { sha256: storedSha256 }),
    };
  }

  async abort(): Promise<void> {
    this.lines.clear();
    this.stage = undefined;
    if (!this.closed) {
      this.closed = true;
      this.head.destroy();
      await this.done.catch(() => undefined);
    }
    await fsp.rm(this.tempPath, { force: true });
  }

  private flush(): void | Promise<void> {
    const block = this.lines.take();
    if (block !== undefined) return this.put(block);
  }

  private put(block: Buffer): void | Promise<void> {
    if (this.hashing === 'blocks') this.hash.update(block);
    this.bytes += block.length;
    let ok = true;
    for (let from = 0; from < block.length;) {
      const stage = (this.stage ??= this.stages.take());
      const copied = block.copy(stage, this.staged, from);
      this.staged += copied;
      from += copied;
      if (this.staged === stage.length) ok = this.writeStage() && ok;
    }
    if (!ok) return this.drain();
  }

  /** Writes what is staged; the buffer goes back to the pool once written. False when the queue is full. */
  private writeStage(): boolean {
    const stage = this.stage;
    if (stage === undefined || this.staged === 0) return true;
    const bytes = stage.subarray(0, this.staged);
    this.stage = undefined;
    this.staged = 0;
    return this.head.write(bytes, () => this.stages.give(stage));
  }

  private async drain(): Promise<void> {
    await once(this.head, 'drain');
    if (this.failure !== undefined) throw this.failure;
  }
}

/** A pass-through stream that shows every chunk to `onChunk` on its way. */
export function tapStream(onChunk: (buf: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback): void {
      onChunk(chunk);
      callback(null, chunk);
    },
  });
}
