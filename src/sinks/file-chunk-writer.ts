import crypto from 'node:crypto';
import { once } from 'node:events';
import fs, { promises as fsp } from 'node:fs';
import { Transform, type TransformOptions, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { publish, tempPathFor } from './durable-fs';
import { LineBuffer } from './line-buffer';
import type { ChunkReceipt, ChunkWriter } from './types';

/**
 * Compression and file writes run on the libuv thread pool, but each step is scheduled from this thread's event
 * loop, which is busy parsing most of the time. Few large steps keep them running in the background: blocks are
 * staged to 1 MiB per write, the compressor's output buffer holds a whole step's output, and a few MiB may queue
 * before writers are asked to wait. (With stream defaults every 64 KiB block waited for the previous one.)
 * Uncompressed, a step's blocks go to the file in one `writev` rather than copied into one buffer: on a large file
 * those copies were gigabytes of short-lived memory, each gigabyte a burst of garbage collection in this thread.
 */
const STAGE_BYTES = 1024 * 1024;
const QUEUE_BYTES = 4 * 1024 * 1024;
const ZLIB_OUTPUT_BYTES = 128 * 1024;

export interface FileChunkOptions {
  /** Compress with gzip at this level; undefined: plain NDJSON. */
  gzipLevel: number | undefined;
  /** fsync the file and its directory on commit. */
  durable: boolean;
  /** Permission mode of the chunk file (less the umask). */
  mode: number;
  /** The caller passes the NDJSON's sha256 to `commit` (see `OpenChunkOptions`). */
  sha256ByCaller: boolean;
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
  private staged: Buffer[] = [];
  private stagedBytes = 0;
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
    await this.writeStaged();
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
    this.staged = [];
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
    this.staged.push(block);
    this.stagedBytes += block.length;
    if (this.stagedBytes >= STAGE_BYTES) return this.writeStaged();
  }

  private writeStaged(): void | Promise<void> {
    if (this.staged.length === 0) return;
    const staged = this.staged;
    this.staged = [];
    this.stagedBytes = 0;
    let ok = true;
    if (!this.gzip && staged.length > 1) {
      this.head.cork();
      for (const b of staged) ok = this.head.write(b);
      this.head.uncork();
    } else {
      const data = staged.length === 1 ? (staged[0] as Buffer) : Buffer.concat(staged);
      ok = this.head.write(data);
    }
    if (!ok) return this.drain();
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
