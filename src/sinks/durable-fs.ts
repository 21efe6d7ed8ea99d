import crypto from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * Durable file primitives for the file sink: data reaches the disk (fsync) before it becomes visible under its
 * final name (rename), and the rename itself is made durable (fsync of the directory).
 */

/** A temporary name next to `finalPath`: same directory (rename is atomic only within a file system), unique
 * per writer (two attempts of the same activity may overlap), dot-prefixed so listings of parts skip it. */
export function tempPathFor(finalPath: string): string {
  const suffix = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.tmp-${suffix}`);
}

/** Whether `name` is a temporary file made by {@link tempPathFor}. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.includes('.tmp-');
}

export async function fsyncFile(file: string): Promise<void> {
  const fh = await fsp.open(file, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync of a directory, so a rename in it survives a crash. Not supported on every platform: best effort there. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await fh?.close();
  }
}

/** Moves a complete temp file to its final name atomically, replacing any previous version. */
export async function publish(tempPath: string, finalPath: string, durable: boolean): Promise<void> {
  if (durable) await fsyncFile(tempPath);
  await fsp.rename(tempPath, finalPath);
  if (durable) await fsyncDir(path.dirname(finalPath));
}

/** Writes `data` to `finalPath` atomically (temp file with `mode`, fsync, rename). */
export async function writeFileAtomic(
  finalPath: string,
  data: string | Buffer,
  durable: boolean,
  mode: number,
): Promise<void> {
  const tmp = tempPathFor(finalPath);
  try {
    await fsp.writeFile(tmp, data, { mode });
    await publish(tmp, finalPath, durable);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}
