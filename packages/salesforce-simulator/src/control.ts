/** In-process control of a simulator: the clock, files, faults and org switches. */
import { fileStream } from './blob';
import type { SimContext } from './context';
import { countCsvRecords, csvHeader, schemaFor } from './data';
import { normalizeId } from './ids';
import { rngFor } from './random';
import type { SimFile } from './sim-file';
import { toSummary } from './sim-file';
import { DAY, floorDay, floorHour, HOUR, isoMs, parseInstant, SECOND } from './time-format';
import type { RealtimeRecord } from './realtime/store';
import type {
  SimFault,
  SimFileSpec,
  SimFileSummary,
  SimOrgSettings,
  SimRealtimeRecord,
  SimulatorControl,
  SimStats,
} from './types';

/** Builds the {@link SimulatorControl} of a simulator. */
export function createControl(ctx: SimContext, rowsPerFile: { min: number; max: number }): SimulatorControl {
  const summary = (file: SimFile): SimFileSummary => {
    const { rows, bytes } = ctx.world.measure(file);
    return toSummary(file, rows, bytes);
  };
  const existingId = (id: string): string => {
    const id18 = normalizeId(id);
    if (!id18 || !ctx.world.get(id18)) throw new Error(`no such file: ${id}`);
    return id18;
  };
  return {
    now: () => isoMs(ctx.clock.now()),
    setNow: (iso) => ctx.clock.setNow(parseInstant(iso)),
    advance: (ms) => {
      if (!Number.isFinite(ms)) throw new Error('advance needs a number of milliseconds');
      ctx.clock.advance(ms);
    },
    addFile: (spec) => summary(addFile(ctx, spec, rowsPerFile)),
    deleteFile: (id) => {
      const id18 = existingId(id);
      ctx.world.delete(id18);
      ctx.blobs.remove(id18);
    },
    // An unknown id throws here, synchronously, like the other control calls.
    storeFile: (id) => {
      const file = ctx.world.get(existingId(id)) as SimFile;
      return ctx.blobs.store(file.id, fileStream(ctx, file));
    },
    listFiles: (opts) => {
      const now = ctx.clock.now();
      const files = opts?.includeFuture
        ? ctx.world.groundTruth(now, ctx.org.hourlyEnabled)
        : ctx.world.visible(now, ctx.org.hourlyEnabled);
      return files.map(summary);
    },
    fileCsv: (id) => {
      const file = ctx.world.get(existingId(id));
      if (!file) throw new Error(`no such file: ${id}`);
      return fileStream(ctx, file);
    },
    inject: (fault: SimFault) => {
      if ('fileId' in fault && fault.fileId !== undefined) {
        const id18 = normalizeId(fault.fileId);
        if (!id18) throw new Error(`not a record id: ${fault.fileId}`);
        ctx.faults.inject({ ...fault, fileId: id18 });
      } else {
        ctx.faults.inject(fault);
      }
    },
    clearFaults: () => ctx.faults.clear(),
    setOrg: (p: SimOrgSettings) => setOrg(ctx, p),
    addRealtimeRecords: (object, specs) => ctx.realtime.add(object, specs).map(toSimRealtimeRecord),
    listRealtimeRecords: (object) =>
      ctx.realtime
        .all(object, ctx.clock.now())
        .map(toSimRealtimeRecord)
        .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)),
    stats: (): SimStats => ({
      requests: ctx.counters.requests,
      apiUsed: ctx.org.apiUsed,
      apiLimit: ctx.org.apiLimit,
      blobBytesServed: ctx.counters.blobBytesServed,
    }),
  };
}

function addFile(ctx: SimContext, spec: SimFileSpec, rowsPerFile: { min: number; max: number }): SimFile {
  if (typeof spec.eventType !== 'string' || !/^\w+$/.test(spec.eventType)) throw new Error('eventType is required');
  if (spec.interval !== 'Hourly' && spec.interval !== 'Daily') throw new Error('interval must be Hourly or Daily');
  const daily = spec.interval === 'Daily';
  const at = parseInstant(spec.logDate);
  const logDateMs = daily ? floorDay(at) : floorHour(at);
  const createdMs = spec.createdDate ? parseInstant(spec.createdDate) : Math.floor(ctx.clock.now() / SECOND) * SECOND;
  const sequence = spec.sequence ?? (daily ? 0 : ctx.world.maxSequence(spec.eventType, logDateMs) + 1);
  if (!Number.isInteger(sequence) || sequence < 0) throw new Error('sequence must be a whole number');
  const schema = schemaFor(spec.eventType);
  const schemaNames = schema.columns.map(([n]) => n);
  let content: SimFile['content'];
  let names = schemaNames.join(',');
  let types = schema.columns.map(([, t]) => t).join(',');
  if (spec.csv !== undefined) {
    content = { kind: 'csv', bytes: Buffer.from(spec.csv, 'utf8'), rows: countCsvRecords(spec.csv) };
    const header = csvHeader(spec.csv);
    if (header.join(',') !== names) {
      names = header.join(',');
      types = header.map(() => 'String').join(',');
    }
  } else {
    const rows = spec.rows ?? rngFor(ctx.world.nextSpreadKey(), 'rows').range(rowsPerFile.min, rowsPerFile.max);
    if (!Number.isInteger(rows) || rows < 0) throw new Error('rows must be a whole number');
    content = { kind: 'spread', key: ctx.world.nextSpreadKey(), startMs: logDateMs, spanMs: daily ? DAY : HOUR, rows };
  }
  return ctx.world.add({
    eventType: spec.eventType,
    logDateMs,
    createdMs,
    interval: spec.interval,
    sequence,
    content,
    fieldNames: spec.fieldNames ?? names,
    fieldTypes: spec.fieldTypes ?? types,
  });
}

function setOrg(ctx: SimContext, p: SimOrgSettings): void {
  const flags = [
    'hourlyEnabled',
    'eventMonitoringEnabled',
    'viewEventLogFiles',
    'apiEnabled',
    'soapLoginEnabled',
    'viewRealTimeEventMonitoringData',
    'viewSetupAndConfiguration',
    'useAnyApiAuthMissing',
  ] as const;
  for (const k of flags) {
    const v = p[k];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new Error(`${k} must be a boolean`);
    ctx.org[k] = v;
  }
  if (p.retentionDays !== undefined) {
    if (!Number.isInteger(p.retentionDays) || p.retentionDays < 1 || p.retentionDays > 365)
      throw new Error('retentionDays must be a whole number within 1..365');
    ctx.org.retentionDays = p.retentionDays;
  }
  for (const k of ['apiLimit', 'apiUsed'] as const) {
    const v = p[k];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 0) throw new Error(`${k} must be a whole number >= 0`);
    ctx.org[k] = v;
  }
}

/** Datetime values (epoch ms in the store) as ISO-8601. */
function toSimRealtimeRecord(r: RealtimeRecord): SimRealtimeRecord {
  const values: SimRealtimeRecord['values'] = { ...r.values };
  for (const k of ['EventDate', 'CreatedDate'])
    if (typeof values[k] === 'number') values[k] = isoMs(values[k] as number);
  return { object: r.object, time: isoMs(r.timeMs), visibleAt: isoMs(r.visibleAtMs), values };
}
