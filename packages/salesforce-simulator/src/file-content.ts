/**
 * The rows of every file, generated on demand from the seed. An hour's events of one type are a pure function of
 * (seed, type, hour): the hourly file of Sequence 1 holds the on-time ones, a Sequence 2 file the late ones, and the
 * daily file all of them, so the daily file is exactly the union of that day's hourly files, in time order.
 */
import { csvLine, hourlyActivity, schemaFor } from './data';
import type { RowOrg } from './data';
import { hashKeys, Rng, rngFor } from './random';
import type { SimFile } from './sim-file';
import { HOUR } from './time-format';

/** What is decided about one event type's hour. */
export interface HourPlan {
  /** Events in the hour, on time plus late. */
  total: number;
  /** Indexes (ascending) of the late events, published in a Sequence 2 file. */
  late: readonly number[];
  /** CreatedDate of the Sequence 1 file and (when some events are late) of the Sequence 2 file. */
  created1: number;
  created2?: number;
}

/** Share of hourly files that get a late Sequence 2 companion. */
const LATE_SHARE = 0.08;

/** Generates the content of files. */
export class FileContentGenerator {
  constructor(
    private readonly seed: number,
    private readonly org: RowOrg,
    private readonly rowsPerFile: { min: number; max: number },
  ) {}

  /** The plan of an hour, or undefined when the type had no event in it (and so no file). */
  hourPlan(eventType: string, hourMs: number): HourPlan | undefined {
    const rng = rngFor(this.seed, 'hour', eventType, hourMs);
    if (!rng.chance(hourlyActivity(eventType))) return undefined;
    const onTime = rng.range(this.rowsPerFile.min, this.rowsPerFile.max);
    const lateCount = rng.chance(LATE_SHARE) ? rng.range(1, Math.max(1, Math.min(5, onTime))) : 0;
    const total = onTime + lateCount;
    // Spread the late events over the hour: step >= 2 keeps the positions distinct.
    const step = total / Math.max(1, lateCount);
    const offset = rng.next() * (step - 1);
    const late = Array.from({ length: lateCount }, (_, i) => Math.floor(i * step + offset));
    // Files of one hour are published in a batch: half of the types share the batch's exact second.
    const batch = rngFor(this.seed, 'hour-batch', hourMs);
    const batchLagS = batch.range(3600, 6 * 3600);
    const ownDelayS = rng.chance(0.5) ? 0 : rng.range(1, 900);
    const created1 = hourMs + HOUR + (batchLagS + ownDelayS) * 1000;
    const created2 = lateCount > 0 ? created1 + rng.range(4 * 3600, 12 * 3600) * 1000 : undefined;
    return { total, late, created1, ...(created2 !== undefined ? { created2 } : {}) };
  }

  /** The quoted header line of a file's schema. */
  header(eventType: string): string {
    return csvLine(schemaFor(eventType).columns.map(([name]) => name));
  }

  /** `LogFileFieldNames` and `LogFileFieldTypes` of an event type. */
  fieldLists(eventType: string): { names: string; types: string } {
    const columns = schemaFor(eventType).columns;
    return { names: columns.map(([n]) => n).join(','), types: columns.map(([, t]) => t).join(',') };
  }

  /** Every CSV line of a generated file after the header, in order. */
  *lines(file: SimFile): Generator<string> {
    const { content, eventType } = file;
    switch (content.kind) {
      case 'hour': {
        const plan = this.hourPlan(eventType, content.hourMs);
        if (!plan) return;
        let nextLate = 0;
        for (let j = 0; j < plan.total; j++) {
          const isLate = plan.late[nextLate] === j;
          if (isLate) nextLate++;
          if (isLate === (content.part === 2)) yield this.eventLine(eventType, content.hourMs, j, plan.total);
        }
        return;
      }
      case 'day':
        for (let h = 0; h < 24; h++) {
          const hourMs = content.dayMs + h * HOUR;
          const plan = this.hourPlan(eventType, hourMs);
          if (!plan) continue;
          for (let j = 0; j < plan.total; j++) yield this.eventLine(eventType, hourMs, j, plan.total);
        }
        return;
      case 'spread': {
        const schema = schemaFor(eventType);
        const { key, startMs, spanMs, rows } = content;
        for (let i = 0; i < rows; i++) {
          const rng = new Rng(hashKeys([key, i]));
          const timeMs = startMs + Math.floor(((i + rng.next()) * spanMs) / rows);
          yield csvLine(schema.row({ rng, timeMs, org: this.org }));
        }
        return;
      }
      case 'csv':
        throw new Error('csv content has no generated lines');
    }
  }

  /** Event `j` of `total` in an hour: its instant keeps the hour's events sorted and inside the hour. */
  private eventLine(eventType: string, hourMs: number, j: number, total: number): string {
    const rng = rngFor(this.seed, 'event', eventType, hourMs, j);
    const timeMs = hourMs + Math.floor(((j + rng.next()) * HOUR) / total);
    return csvLine(schemaFor(eventType).row({ rng, timeMs, org: this.org }));
  }

  /** The file's bytes in chunks of about `chunkBytes`, generated lazily (a 1 GiB file costs no memory). */
  *chunks(file: SimFile, chunkBytes = 64 * 1024): Generator<Buffer> {
    if (file.content.kind === 'csv') {
      const { bytes } = file.content;
      for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
      return;
    }
    let parts: string[] = [this.header(file.eventType)];
    let size = 0;
    for (const line of this.lines(file)) {
      parts.push(line);
      size += line.length;
      if (size >= chunkBytes) {
        yield Buffer.from(parts.join(''), 'utf8');
        parts = [];
        size = 0;
      }
    }
    if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
  }

  /** Row count and exact byte length of a file: one generating pass, no buffers kept. */
  measure(file: SimFile): { rows: number; bytes: number } {
    if (file.content.kind === 'csv') return { rows: file.content.rows, bytes: file.content.bytes.length };
    let rows = 0;
    let bytes = Buffer.byteLength(this.header(file.eventType), 'utf8');
    for (const line of this.lines(file)) {
      rows++;
      bytes += Buffer.byteLength(line, 'utf8');
    }
    return { rows, bytes };
  }
}
