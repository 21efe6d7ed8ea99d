/** The simulator's internal record of one EventLogFile. */
import type { SimFileSummary, SimInterval } from './types';
import { isoMs } from './time-format';

/** Where a file's rows come from. */
export type FileContent =
  /** A seeded hourly file: part 1 holds the hour's on-time events, part 2 the late ones (Sequence 2). */
  | { kind: 'hour'; hourMs: number; part: 1 | 2 }
  /** A seeded daily file: every event of the day's hours, in time order. */
  | { kind: 'day'; dayMs: number }
  /** An added file: `rows` generated events spread evenly over [startMs, startMs + spanMs). */
  | { kind: 'spread'; key: number; startMs: number; spanMs: number; rows: number }
  /** An added file with exact content. */
  | { kind: 'csv'; bytes: Buffer; rows: number };

/** One EventLogFile. */
export interface SimFile {
  id: string;
  eventType: string;
  logDateMs: number;
  createdMs: number;
  interval: SimInterval;
  sequence: number;
  content: FileContent;
  fieldNames: string;
  fieldTypes: string;
  apiVersion: number;
}

/** The public summary of a file, given its row count and byte length. */
export function toSummary(file: SimFile, rows: number, logFileLength: number): SimFileSummary {
  return {
    id: file.id,
    eventType: file.eventType,
    logDate: isoMs(file.logDateMs),
    createdDate: isoMs(file.createdMs),
    interval: file.interval,
    sequence: file.sequence,
    rows,
    logFileLength,
  };
}

/** Ground-truth order: CreatedDate, then Id. */
export function compareFiles(a: SimFile, b: SimFile): number {
  return a.createdMs - b.createdMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
