/**
 * The records of the real-time objects: added through the control API, or generated at a steady rate as the clock
 * moves. A storage event becomes queryable a little after its EventDate (`visibleAtMs`), as Salesforce's are; records
 * past retention are gone.
 */
import { makeId } from '../ids';
import { Rng } from '../random';
import { EMPTY_BIG_OBJECT_ID, findRealtimeObject, REALTIME_RETENTION_MS, type RealtimeObjectDef } from './catalog';

export type RealtimeValue = string | number | null;

export interface RealtimeRecord {
  object: string;
  /** EventDate (storage events) or CreatedDate (audit trail), epoch ms. */
  timeMs: number;
  /** When queries start to see it, epoch ms. */
  visibleAtMs: number;
  values: Record<string, RealtimeValue>;
}

/** A record to add: its time, optional visibility delay and field values (the rest are filled in). */
export interface RealtimeRecordSpec {
  /** EventDate, or CreatedDate for SetupAuditTrail (ISO-8601). */
  time: string;
  /** Queryable this long after `time` (default 0). */
  visibleAfterMs?: number;
  fields?: Record<string, RealtimeValue>;
}

/** Steady generation of storage events, for demos and the benchmark. */
export interface RealtimeGeneration {
  /** Storage events per minute, per object. */
  eventsPerMinute: number;
  /** Each event becomes queryable up to this long after its EventDate (uniformly spread). Default 5000. */
  maxVisibilityDelayMs?: number;
  /** Objects generated; default LoginEvent. */
  objects?: string[];
}

export class RealtimeStore {
  private readonly records: RealtimeRecord[] = [];
  private readonly rng: Rng;
  private generatedThroughMs: number;
  private seq = 0;

  constructor(
    seed: number,
    startMs: number,
    private readonly orgUser: { userId: string; username: string },
    private readonly generation?: RealtimeGeneration,
  ) {
    this.rng = new Rng(seed ^ 0x5eed);
    this.generatedThroughMs = startMs;
  }

  /** Adds records to an object; returns them as stored. */
  add(objectName: string, specs: readonly RealtimeRecordSpec[]): RealtimeRecord[] {
    const def = findRealtimeObject(objectName);
    if (!def) throw new Error(`not a real-time object: ${objectName}`);
    return specs.map((spec) => {
      const timeMs = Date.parse(spec.time);
      if (Number.isNaN(timeMs)) throw new Error(`time must be an ISO-8601 instant, got ${JSON.stringify(spec.time)}`);
      const record = this.build(def, timeMs, spec.visibleAfterMs ?? 0, spec.fields ?? {});
      this.records.push(record);
      return record;
    });
  }

  /** The records of `object` queryable at `nowMs` (generated up to it first). */
  visible(def: RealtimeObjectDef, nowMs: number): RealtimeRecord[] {
    this.generateUntil(nowMs);
    const oldest = nowMs - REALTIME_RETENTION_MS;
    return this.records.filter((r) => r.object === def.name && r.visibleAtMs <= nowMs && r.timeMs >= oldest);
  }

  /** Every record of `object`, visible or not (for tests). */
  all(objectName: string, nowMs: number): RealtimeRecord[] {
    this.generateUntil(nowMs);
    return this.records.filter((r) => r.object === objectName);
  }

  private generateUntil(nowMs: number): void {
    const g = this.generation;
    if (!g || g.eventsPerMinute <= 0) return;
    const step = 60_000 / g.eventsPerMinute;
    const maxDelay = g.maxVisibilityDelayMs ?? 5000;
    const objects = (g.objects ?? ['LoginEvent']).map((n) => findRealtimeObject(n)).filter((d) => d !== undefined);
    // Events are generated once their EventDate has passed, so the order of queries cannot change what exists.
    while (this.generatedThroughMs + step <= nowMs) {
      this.generatedThroughMs += step;
      for (const def of objects) {
        const at = Math.floor(this.generatedThroughMs);
        // One event in five shares its EventDate with another (ties on EventDate are common at millisecond grain).
        const count = this.rng.chance(0.2) ? 2 : 1;
        for (let i = 0; i < count; i++) {
          this.records.push(this.build(def, at, this.rng.int(maxDelay + 1), {}));
        }
      }
    }
  }

  private build(
    def: RealtimeObjectDef,
    timeMs: number,
    delayMs: number,
    fields: Record<string, RealtimeValue>,
  ): RealtimeRecord {
    const n = ++this.seq;
    // CreatedDate is kept at whole seconds (EventDate has milliseconds).
    if (def.kind === 'audit-trail') timeMs = Math.floor(timeMs / 1000) * 1000;
    const values: Record<string, RealtimeValue> = {};
    for (const f of def.fields) values[f.name] = null;
    if (def.kind === 'storage-event') {
      Object.assign(values, {
        Id: EMPTY_BIG_OBJECT_ID,
        EventIdentifier: uuid(this.rng),
        UserId: this.orgUser.userId,
        Username: this.orgUser.username,
        SessionKey: `sk${this.rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 14)}`,
        LoginKey: `lk${this.rng.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 14)}`,
        SourceIp: `10.${this.rng.int(256)}.${this.rng.int(256)}.${1 + this.rng.int(254)}`,
        CreatedDate: timeMs,
        CreatedById: this.orgUser.userId,
      });
      if (def.name === 'LoginEvent') Object.assign(values, { LoginType: 'Application', Status: 'Success' });
      if ('Operation' in values) values.Operation = 'Read';
    } else {
      Object.assign(values, {
        Id: makeId('0Ym', this.rng),
        CreatedById: this.orgUser.userId,
        Action: 'PermSetAssign',
        Section: 'Manage Users',
        Display: `Permission set assigned (change ${n})`,
      });
    }
    Object.assign(values, fields);
    values[def.kind === 'storage-event' ? 'EventDate' : 'CreatedDate'] = timeMs;
    return { object: def.name, timeMs, visibleAtMs: timeMs + delayMs, values };
  }
}

function uuid(rng: Rng): string {
  const hex = '0123456789abcdef';
  return [8, 4, 4, 4, 12].map((n) => rng.chars(hex, n)).join('-');
}
