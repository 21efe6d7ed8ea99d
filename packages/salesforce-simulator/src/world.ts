/**
 * The catalog of EventLogFiles: the seeded history plus files added through the control API. Seeded files are a
 * pure function of the seed, materialized one UTC day at a time on first use. Which files a client sees depends on
 * the simulated clock: a file appears at its CreatedDate and disappears when the org's retention ends (30 days by
 * default; orgs set 30-365, Developer Edition keeps 1).
 */
import type { FileContentGenerator } from './file-content';
import { makeId } from './ids';
import { hashKeys, rngFor } from './random';
import type { SimFile } from './sim-file';
import { compareFiles } from './sim-file';
import { DAY, floorDay, HOUR } from './time-format';
import type { SimInterval } from './types';

/** Static facts of a world. */
export interface WorldConfig {
  seed: number;
  /** First instant with events (midnight UTC). */
  originMs: number;
  eventTypes: readonly string[];
  apiVersion: number;
  /** How long files live after their CreatedDate, in ms (read on every use: the org setting can change). */
  retentionMs: () => number;
}

/** What an added file needs; see {@link World.add}. */
export interface AddedFileInput {
  eventType: string;
  logDateMs: number;
  createdMs: number;
  interval: SimInterval;
  sequence: number;
  content: SimFile['content'];
  fieldNames: string;
  fieldTypes: string;
}

/** The simulated org's files. */
export class World {
  private readonly days = new Map<number, SimFile[]>();
  private readonly byId = new Map<string, SimFile>();
  private readonly added: SimFile[] = [];
  private readonly deleted = new Set<string>();
  private readonly measures = new Map<string, { rows: number; bytes: number }>();
  private addedCount = 0;

  constructor(
    private readonly config: WorldConfig,
    readonly content: FileContentGenerator,
  ) {}

  /** Event types of the seeded history. */
  get eventTypes(): readonly string[] {
    return this.config.eventTypes;
  }

  /** Files existing at `nowMs` (published, not expired, not deleted), in (CreatedDate, Id) order. */
  visible(nowMs: number, hourlyEnabled: boolean): SimFile[] {
    return this.candidates(nowMs).filter(
      (f) =>
        f.createdMs <= nowMs &&
        nowMs < f.createdMs + this.config.retentionMs() &&
        (hourlyEnabled || f.interval === 'Daily') &&
        !this.deleted.has(f.id),
    );
  }

  /** Files whose period has begun by `nowMs`, published or not, except expired and deleted ones. */
  groundTruth(nowMs: number, hourlyEnabled: boolean): SimFile[] {
    return this.candidates(nowMs).filter(
      (f) =>
        f.logDateMs <= nowMs &&
        nowMs < f.createdMs + this.config.retentionMs() &&
        (hourlyEnabled || f.interval === 'Daily') &&
        !this.deleted.has(f.id),
    );
  }

  /** A file by its 18-character id if it exists at `nowMs`. */
  find(id18: string, nowMs: number, hourlyEnabled: boolean): SimFile | undefined {
    if (!this.byId.has(id18)) this.candidates(nowMs);
    const file = this.byId.get(id18);
    if (!file || this.deleted.has(id18)) return undefined;
    if (file.createdMs > nowMs || nowMs >= file.createdMs + this.config.retentionMs()) return undefined;
    if (!hourlyEnabled && file.interval !== 'Daily') return undefined;
    return file;
  }

  /** A file by id whatever its visibility (control API). */
  get(id18: string): SimFile | undefined {
    return this.deleted.has(id18) ? undefined : this.byId.get(id18);
  }

  /** Deletes a file for good. Returns false when it did not exist. */
  delete(id18: string): boolean {
    if (!this.byId.has(id18) || this.deleted.has(id18)) return false;
    this.deleted.add(id18);
    return true;
  }

  /** Adds a file; its id is deterministic in the seed and the order of additions. */
  add(input: AddedFileInput): SimFile {
    const n = this.addedCount++;
    let id = '';
    for (let attempt = 0; id === '' || this.byId.has(id); attempt++) {
      id = makeId('0AT', rngFor(this.config.seed, 'added-file', n, attempt, input.eventType, input.logDateMs));
    }
    const file: SimFile = { id, apiVersion: this.config.apiVersion, ...input };
    this.added.push(file);
    this.byId.set(id, file);
    return file;
  }

  /** A key for the rows of the next added file (stable across runs with the same seed and additions). */
  nextSpreadKey(): number {
    return hashKeys([this.config.seed, 'added-rows', this.addedCount]);
  }

  /** The highest Sequence of an event type's hour among seeded and added files (0 when none). */
  maxSequence(eventType: string, hourMs: number): number {
    let max = 0;
    for (const f of [...this.day(floorDay(hourMs)), ...this.added]) {
      if (f.eventType === eventType && f.interval === 'Hourly' && f.logDateMs === hourMs)
        max = Math.max(max, f.sequence);
    }
    return max;
  }

  /** Row count and byte length, computed once per file. */
  measure(file: SimFile): { rows: number; bytes: number } {
    let m = this.measures.get(file.id);
    if (!m) {
      m = this.content.measure(file);
      this.measures.set(file.id, m);
    }
    return m;
  }

  /** Seeded files of the days that can hold files alive at `nowMs`, plus added files; sorted. */
  private candidates(nowMs: number): SimFile[] {
    // Daily files appear up to ~2 days after their LogDate: look 3 days further back than the retention.
    const first = Math.max(this.config.originMs, floorDay(nowMs - this.config.retentionMs()) - 3 * DAY);
    const files: SimFile[] = [];
    for (let d = first; d <= floorDay(nowMs); d += DAY) files.push(...this.day(d));
    files.push(...this.added);
    return files.sort(compareFiles);
  }

  /** The seeded files whose LogDate falls on a UTC day (memoized). */
  private day(dayMs: number): SimFile[] {
    let files = this.days.get(dayMs);
    if (files) return files;
    files = [];
    if (dayMs >= this.config.originMs) {
      for (const eventType of this.config.eventTypes) files.push(...this.seedFilesOfDay(eventType, dayMs));
    }
    for (const f of files) this.byId.set(f.id, f);
    this.days.set(dayMs, files);
    return files;
  }

  private seedFilesOfDay(eventType: string, dayMs: number): SimFile[] {
    const { seed, apiVersion } = this.config;
    const { names: fieldNames, types: fieldTypes } = this.content.fieldLists(eventType);
    const file = (logDateMs: number, interval: SimInterval, sequence: number, createdMs: number) => ({
      id: makeId('0AT', rngFor(seed, 'file', eventType, logDateMs, interval, sequence)),
      eventType,
      logDateMs,
      createdMs,
      interval,
      sequence,
      fieldNames,
      fieldTypes,
      apiVersion,
    });
    const files: SimFile[] = [];
    let anyEvent = false;
    for (let h = 0; h < 24; h++) {
      const hourMs = dayMs + h * HOUR;
      const plan = this.content.hourPlan(eventType, hourMs);
      if (!plan) continue;
      anyEvent = true;
      files.push({ ...file(hourMs, 'Hourly', 1, plan.created1), content: { kind: 'hour', hourMs, part: 1 } });
      if (plan.created2 !== undefined) {
        files.push({ ...file(hourMs, 'Hourly', 2, plan.created2), content: { kind: 'hour', hourMs, part: 2 } });
      }
    }
    if (anyEvent) {
      files.push({ ...file(dayMs, 'Daily', 0, this.dailyCreated(eventType, dayMs)), content: { kind: 'day', dayMs } });
    }
    return files;
  }

  /** Daily files are generated in batches the next evening (UTC); most types of a day share one second. */
  private dailyCreated(eventType: string, dayMs: number): number {
    const batch = rngFor(this.config.seed, 'daily-batch', dayMs);
    const first = dayMs + DAY + 21 * HOUR + batch.int(7200) * 1000;
    const second = first + batch.range(1, 900) * 1000;
    return rngFor(this.config.seed, 'daily-group', eventType, dayMs).int(3) < 2 ? first : second;
  }
}
