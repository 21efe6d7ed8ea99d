import crypto from 'node:crypto';
import fs, { promises as fsp } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { fsyncDir, isTempName, writeFileAtomic } from './durable-fs';
import { FileChunkWriter, stagingBuffers, tapStream } from './file-chunk-writer';
import { FAILED_NAME, MANIFEST_NAME, chunkFileName, fileDirectory, parseChunkFileName } from './file-layout';
import {
  logFileRef,
  type ChunkReceipt,
  type ChunkWriter,
  type FileSummary,
  type LogFileRef,
  type LogSink,
  type OpenChunkOptions,
} from './types';

/**
 * The file sink: NDJSON files on a local or mounted file system, gzip-compressed by default, one directory per
 * EventLogFile (layout in `file-layout.ts`).
 *
 * Exactly-once on disk: a chunk is written to a temp file in its directory, fsynced and renamed to its final name on
 * commit, so a reader sees whole chunks or nothing. A retried chunk produces the same bytes (same rows, same
 * compression settings; Node's gzip header carries no timestamp or file name), so committing it again is
 * idempotent. When every chunk is committed, `manifest.json` lists them (rows, sizes, sha256 of each chunk file as
 * stored, i.e. what `sha256sum` prints) and marks the file complete; it too is deterministic (its time is the
 * caller's, not the wall clock). Hashing the stored bytes rather than the NDJSON also keeps the hash cheap: gzip
 * output is about a tenth of the size.
 */
export interface FileSinkOptions {
  dir: string;
  /** Default true: `.ndjson.gz`; false: `.ndjson`. */
  gzip?: boolean;
  /**
   * zlib level. Default 1: event NDJSON is so repetitive that level 1 already compresses about 9x, within 20% of
   * level 6's size at three times its speed, and compression competes with parsing for the CPU.
   */
  gzipLevel?: number;
  /** fsync files and directories before and after renames. Default true; tests may turn it off. */
  durable?: boolean;
  /**
   * Modes of the files written and the folders created (less the process umask). Default 0600 and 0700: events
   * hold user names, IP addresses, session and login keys.
   */
  fileMode?: number;
  dirMode?: number;
}

export const DEFAULT_FILE_MODE = 0o600;
export const DEFAULT_DIR_MODE = 0o700;

/** Manifest of one completed EventLogFile (`manifest.json`). */
export interface FileManifest extends LogFileRef {
  version: 1;
  rows: number;
  malformedRows: number;
  unknownColumns: string[];
  completedAt?: string;
  chunks: {
    chunk: number;
    /** File name in the file's directory. */
    file: string;
    rows: number;
    /** Uncompressed NDJSON bytes. */
    bytes: number;
    /** Bytes of the file on disk. */
    storedBytes: number;
    /** sha256 (hex) of the file on disk. */
    sha256: string;
  }[];
}

export const DEFAULT_GZIP_LEVEL = 1;

export class FileSink implements LogSink {
  readonly kind = 'file' as const;
  private readonly dir: string;
  private readonly gzip: boolean;
  private readonly gzipLevel: number;
  private readonly durable: boolean;
  private readonly fileMode: number;
  private readonly dirMode: number;
  private readonly stages = stagingBuffers();

  constructor(options: FileSinkOptions) {
    this.dir = path.resolve(options.dir);
    this.gzip = options.gzip ?? true;
    this.gzipLevel = options.gzipLevel ?? DEFAULT_GZIP_LEVEL;
    this.durable = options.durable ?? true;
    this.fileMode = options.fileMode ?? DEFAULT_FILE_MODE;
    this.dirMode = options.dirMode ?? DEFAULT_DIR_MODE;
  }

  /** Directory holding the chunks and manifest of `file`. */
  directoryOf(file: LogFileRef): string {
    return fileDirectory(this.dir, file);
  }

  /** Uncompressed, a chunk's stored bytes are its NDJSON: the manifest's sha256 is theirs. */
  get recordsChunkSha256(): boolean {
    return !this.gzip;
  }

  async openChunk(file: LogFileRef, chunk: number, options: OpenChunkOptions = {}): Promise<ChunkWriter> {
    const dir = this.directoryOf(file);
    await fsp.mkdir(dir, { recursive: true, mode: this.dirMode });
    const finalPath = path.join(dir, chunkFileName(chunk, this.gzip));
    return new FileChunkWriter(chunk, finalPath, {
      gzipLevel: this.gzip ? this.gzipLevel : undefined,
      durable: this.durable,
      mode: this.fileMode,
      sha256ByCaller: options.sha256ByCaller === true,
      stages: this.stages,
    });
  }

  async completeFile(file: LogFileRef, summary: FileSummary): Promise<void> {
    const dir = this.directoryOf(file);
    await fsp.mkdir(dir, { recursive: true, mode: this.dirMode });
    const count = summary.chunkCount ?? summary.chunks.length;
    const given = new Map(summary.chunks.map((c) => [c.chunk, c]));
    const chunks: FileManifest['chunks'] = [];
    for (let i = 0; i < count; i++) {
      const name = chunkFileName(i, this.gzip);
      let r = given.get(i);
      if (r?.storedBytes === undefined || r.storedSha256 === undefined)
        r = await this.readBack(path.join(dir, name), i);
      const { rows, bytes, storedBytes = 0, storedSha256 = '' } = r;
      chunks.push({ chunk: i, file: name, rows, bytes, storedBytes, sha256: storedSha256 });
    }
    const rows = chunks.reduce((n, c) => n + c.rows, 0);
    if (rows !== summary.rows) {
      throw new Error(`file sink: chunks of ${file.fileId} hold ${rows} rows, expected ${summary.rows}`);
    }
    await this.removeStrays(dir, count);
    await fsp.rm(path.join(dir, FAILED_NAME), { force: true }); // a retry on purpose that succeeded
    const manifest: FileManifest = {
      version: 1,
      ...logFileRef(file),
      rows: summary.rows,
      malformedRows: summary.malformedRows,
      unknownColumns: [...summary.unknownColumns],
      ...(summary.completedAt !== undefined ? { completedAt: summary.completedAt } : {}),
      chunks,
    };
    await writeFileAtomic(
      path.join(dir, MANIFEST_NAME),
      JSON.stringify(manifest, null, 2) + '\n',
      this.durable,
      this.fileMode,
    );
  }

  async failFile(file: LogFileRef, reason: string): Promise<void> {
    const dir = this.directoryOf(file);
    await fsp.mkdir(dir, { recursive: true, mode: this.dirMode });
    await this.removeStrays(dir, 0);
    await fsp.rm(path.join(dir, MANIFEST_NAME), { force: true });
    const failed = { version: 1, ...logFileRef(file), state: 'failed', reason };
    await writeFileAtomic(
      path.join(dir, FAILED_NAME),
      JSON.stringify(failed, null, 2) + '\n',
      this.durable,
      this.fileMode,
    );
  }

  describe(): string {
    return `file ${this.dir} (NDJSON${this.gzip ? ', gzip' : ''})`;
  }

  async close(): Promise<void> {}

  /** Receipt of a chunk committed by an earlier attempt, recomputed from what is on disk. */
  private async readBack(file: string, chunk: number): Promise<ChunkReceipt> {
    const stored = crypto.createHash('sha256');
    let storedBytes = 0;
    let bytes = 0;
    let rows = 0;
    const count = (buf: Buffer): void => {
      bytes += buf.length;
      for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) rows++;
    };
    const onStored = (buf: Buffer): void => {
      stored.update(buf);
      storedBytes += buf.length;
    };
    if (this.gzip) {
      const gunzip = zlib.createGunzip();
      gunzip.on('data', count);
      await pipeline(fs.createReadStream(file), tapStream(onStored), gunzip);
    } else {
      for await (const buf of fs.createReadStream(file) as AsyncIterable<Buffer>) {
        onStored(buf);
        count(buf);
      }
    }
    const storedSha256 = stored.digest('hex');
    return {
      chunk,
      rows,
      bytes,
      location: file,
      storedBytes,
      storedSha256,
      ...(this.gzip ? {} : { sha256: storedSha256 }),
    };
  }

  /** Leftovers of crashed attempts (temp files) and chunks past the end (an earlier run with smaller chunks). */
  private async removeStrays(dir: string, count: number): Promise<void> {
    let removed = false;
    for (const name of await fsp.readdir(dir)) {
      const index = parseChunkFileName(name);
      if (isTempName(name) || (index !== undefined && index >= count)) {
        await fsp.rm(path.join(dir, name), { force: true });
        removed = true;
      }
    }
    if (removed && this.durable) await fsyncDir(dir);
  }
}
