import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export interface OutputEvent {
  p_row_id: string;
  p_log_type: string;
  [k: string]: unknown;
}

/** Every event the file sink wrote under `dir` (all part files, gzip or not). */
export function readFileSinkEvents(dir: string): OutputEvent[] {
  const events: OutputEvent[] = [];
  for (const file of walk(dir)) {
    if (!/part-\d+\.ndjson(\.gz)?$/.test(file)) continue;
    const raw = fs.readFileSync(file);
    const text = file.endsWith('.gz') ? zlib.gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    for (const line of text.split('\n')) if (line) events.push(JSON.parse(line) as OutputEvent);
  }
  return events;
}

/** Relative path -> bytes of every file under `dir`, for byte-for-byte comparisons of two runs. */
export function snapshotDir(dir: string, ignore: RegExp = /manifest\.json$/): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const file of walk(dir)) {
    const rel = path.relative(dir, file);
    if (!ignore.test(rel)) out.set(rel, fs.readFileSync(file));
  }
  return out;
}

export function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

/** Ids that occur more than once. */
export function duplicates(ids: string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const id of ids) (seen.has(id) ? dups : seen).add(id);
  return [...dups];
}
