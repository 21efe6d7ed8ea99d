import type { LogFileRef } from './types';

/**
 * Where the s3 sink puts each chunk: one gzip NDJSON object per committed chunk, the event type first (Panther maps
 * key prefixes to log types) and then Hive-style date partitions (Athena and Glue prune on `key=value` segments):
 *
 *   <prefix><EventType>/dt=<yyyy-mm-dd>/hour=<HH>/<sourceId>-<fileId>-<chunk>.json.gz
 *
 * `dt` and `hour` are the UTC day and hour of LogDate (`hour=00` for daily files). The key depends only on the file
 * and the chunk index, so a retried chunk targets the same key. Bookkeeping (manifests) lives under
 * `<prefix>_elfstream/`, never beside the data, so that readers of the event prefixes only ever see events.
 */

const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Prefix under which elfstream keeps its own objects. */
export const BOOKKEEPING_DIR = '_elfstream/';

export function chunkKey(prefix: string, file: LogFileRef, chunk: number, gzip: boolean): string {
  if (!Number.isInteger(chunk) || chunk < 0) throw new RangeError(`invalid chunk index ${chunk}`);
  const day = file.logDate.slice(0, 10);
  const hour = file.interval === 'Hourly' ? file.logDate.slice(11, 13) : '00';
  const name = `${safe('sourceId', file.sourceId)}-${safe('fileId', file.fileId)}-${String(chunk).padStart(5, '0')}`;
  return `${prefix}${safe('eventType', file.eventType)}/dt=${day}/hour=${hour}/${name}.json${gzip ? '.gz' : ''}`;
}

/** Manifest of one completed EventLogFile. */
export function manifestKey(prefix: string, file: LogFileRef): string {
  return `${prefix}${BOOKKEEPING_DIR}manifests/${safe('sourceId', file.sourceId)}/${safe('fileId', file.fileId)}.json`;
}

function safe(what: string, value: string): string {
  if (!SAFE_SEGMENT.test(value)) throw new Error(`s3 sink: ${what} ${JSON.stringify(value)} is not usable in a key`);
  return value;
}
