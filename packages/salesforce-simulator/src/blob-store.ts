/**
 * Stored blobs: files rendered once, gzip-compressed, into a temporary directory and served from there.
 *
 * Salesforce serves EventLogFile blobs it has stored; the simulator otherwise generates (and compresses) every
 * download afresh, which costs it CPU per byte. That is fine for tests, but a benchmark running the simulator on
 * the client's machine would measure the simulator as much as the client: storing its large files leaves the
 * cores to the client. A stored file serves the same bytes as a generated one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants as zlibConstants } from 'node:zlib';

export class BlobStore {
  private dir: string | undefined;
  private readonly paths = new Map<string, string>();
  private closed = false;

  /** Renders `content` (the file's uncompressed bytes) into the store; replaces an earlier version. */
  async store(id18: string, content: Readable): Promise<void> {
    if (this.closed) throw new Error('the simulator is closed');
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'elf-sim-blobs-'));
    const file = path.join(this.dir, `${id18}.csv.gz`);
    const partial = `${file}.partial`;
    await pipeline(content, createGzip({ level: zlibConstants.Z_BEST_SPEED }), fs.createWriteStream(partial));
    fs.renameSync(partial, file);
    this.paths.set(id18, file);
  }

  /** The gzip-compressed blob of a stored file, or undefined when the file is generated on demand. */
  gzipPath(id18: string): string | undefined {
    return this.paths.get(id18);
  }

  remove(id18: string): void {
    const file = this.paths.get(id18);
    if (file === undefined) return;
    this.paths.delete(id18);
    fs.rmSync(file, { force: true });
  }

  /** Deletes every stored blob (at simulator shutdown). */
  close(): void {
    this.closed = true;
    this.paths.clear();
    if (this.dir !== undefined) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}
