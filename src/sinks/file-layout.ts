import path from 'node:path';
import type { LogFileRef } from './types';

/**
 * Where the file sink puts each EventLogFile: one directory per file, named so that it is unique per file and
 * sorts by time, holding its chunks and, once complete, its manifest:
 *
 *   <dir>/<sourceId>/<EventType>/<yyyy-mm-dd>/<hourly|daily>-<stamp>-seq<Sequence>-<fileId>/
 *       part-00000.ndjson.gz, part-00001.ndjson.gz, …, manifest.json
 *
 * `<yyyy-mm-dd>` is the UTC day of LogDate; `<stamp>` is `yyyy-mm-ddTHH` (the LogDate hour) for hourly files and
 * `yyyy-mm-dd` for daily ones. The path depends only on the file and the chunk index, so a retried chunk lands on
 * the same name.
 */

/** File name of the manifest written when every chunk of a file is committed. */
export const MANIFEST_NAME = 'manifest.json';
/** File name written instead of the manifest when the EventLogFile turned out unreadable (its chunks are removed). */
export const FAILED_NAME = 'failed.json';

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const CHUNK_FILE = /^part-(\d{5,})\.ndjson(\.gz)?$/;

/** The directory of one EventLogFile under the sink's root `dir`. */
export function fileDirectory(dir: string, file: LogFileRef): string {
  const day = isoDay(file.logDate);
  const stamp = file.interval === 'Hourly' ? `${day}T${isoHour(file.logDate)}` : day;
  const leaf = `${file.interval.toLowerCase()}-${stamp}-seq${file.sequence}-${safe('fileId', file.fileId)}`;
  return path.join(dir, safe('sourceId', file.sourceId), safe('eventType', file.eventType), day, leaf);
}

/** `part-00000.ndjson.gz` (or `.ndjson` without gzip). */
export function chunkFileName(chunk: number, gzip: boolean): string {
  if (!Number.isInteger(chunk) || chunk < 0) throw new RangeError(`invalid chunk index ${chunk}`);
  return `part-${String(chunk).padStart(5, '0')}.ndjson${gzip ? '.gz' : ''}`;
}

/** The chunk index of a chunk file name, or undefined for other names. */
export function parseChunkFileName(name: string): number | undefined {
  const m = CHUNK_FILE.exec(name);
  return m === null ? undefined : Number(m[1]);
}

/** Ids and event types become path segments: refuse anything that could escape the directory. */
function safe(what: string, value: string): string {
  if (!SAFE_SEGMENT.test(value) || value === '..')
    throw new Error(`file sink: unsafe ${what} ${JSON.stringify(value)}`);
  return value;
}

function parseLogDate(logDate: string): Date {
  const d = new Date(logDate);
  if (Number.isNaN(d.getTime())) throw new Error(`file sink: invalid logDate ${JSON.stringify(logDate)}`);
  return d;
}

function isoDay(logDate: string): string {
  return parseLogDate(logDate).toISOString().slice(0, 10);
}

function isoHour(logDate: string): string {
  return parseLogDate(logDate).toISOString().slice(11, 13);
}
