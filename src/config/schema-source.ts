/** Schema of one entry of `sources`: a Salesforce org to pull EventLogFiles from, and how. */
import { z } from 'zod';
import { DEFAULT_EVENT_TYPES, eventTypeProblem } from '../salesforce/event-types';
import { cronProblem } from '../workflows/cron';
import { CONFIG_DEFAULTS } from './defaults';
import { DURATION_FORMS, parseDuration } from './durations';
import { parseSourceId, parseStartFrom } from './formats';
import type { Parsed } from './formats';
import { isPlainObject } from './interpolate';
import { SALESFORCE_KEYS, salesforceSchema } from './schema-auth';
import { checkRealtimeOverlap, realtimeSchema } from './schema-realtime';
import { belongIn, closedObject, decimal, expecting, formatted, integer, oneOf, text } from './schema-fields';
import type { SecretContext } from './secret-fields';
import type { SourceConfig } from './types';

const ALL = '*';
const defaults = CONFIG_DEFAULTS.source;

function parseEventType(value: string): Parsed<string> {
  const problem = value === ALL ? undefined : eventTypeProblem(value);
  return problem === undefined ? { ok: true, value } : { ok: false, message: problem };
}

function parseNonNegativeDuration(value: string): Parsed<number> {
  const ms = parseDuration(value);
  if (ms === undefined) return { ok: false, message: `${JSON.stringify(value)} is not ${DURATION_FORMS}` };
  if (ms < 0) return { ok: false, message: `${JSON.stringify(value)} must not be negative` };
  return { ok: true, value: ms };
}

const DAY_MS = 24 * 3_600_000;

/**
 * How long the org keeps EventLogFiles after their CreatedDate: orgs set 30 to 365 days, Developer Edition keeps 1
 * (REST API Developer Guide, "Event Monitoring": https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/
 * api_rest/using_resources_event_log_files.htm); whole days from 1d to 365d.
 */
function parseRetention(value: string): Parsed<number> {
  const ms = parseDuration(value);
  if (ms === undefined || ms % DAY_MS !== 0 || ms < DAY_MS || ms > 365 * DAY_MS) {
    return {
      ok: false,
      message: `${JSON.stringify(value)} is not a retention: give whole days from 1d to 365d (what the org keeps, e.g. 30d or 365d)`,
    };
  }
  return { ok: true, value: ms };
}

function parseSchedule(value: string): Parsed<string> {
  const problem = cronProblem(value);
  return problem === undefined ? { ok: true, value: value.trim() } : { ok: false, message: problem };
}

const eventTypes = z
  .preprocess(
    (v) => (v === ALL ? [ALL] : v),
    z.array(formatted('an EventLogFile event type', parseEventType), {
      error: expecting('a list of EventLogFile event types, or ["*"] for all'),
    }),
  )
  .superRefine((list, ctx) => {
    if (list.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must list at least one event type, or "*" for all', input: undefined });
    }
    const all = list.indexOf(ALL);
    if (all >= 0 && list.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [all],
        message: '"*" selects every event type and cannot be combined with others',
        input: undefined,
      });
    }
  })
  .default([...DEFAULT_EVENT_TYPES]);

/** The keys of a source mapping. */
export const SOURCE_KEYS = [
  'id',
  'label',
  'salesforce',
  'eventTypes',
  'interval',
  'schedule',
  'startFrom',
  'settleWindow',
  'rescanHorizon',
  'concurrency',
  'chunkRows',
  'apiReserve',
  'realtime',
  'retention',
] as const;

/** Schema of one source; reads its secret files through `secrets`. */
export function sourceSchema(secrets: SecretContext) {
  return closedObject(
    {
      id: formatted('a source id (1-40 characters of a-z, 0-9 and "-")', parseSourceId),
      label: text('a label for people').optional(),
      salesforce: salesforceSchema(secrets),
      eventTypes,
      interval: oneOf(['auto', 'Hourly', 'Daily']).default(defaults.interval),
      schedule: formatted('a 5-field cron expression', parseSchedule).default(defaults.schedule),
      startFrom: formatted('an ISO-8601 instant or a negative duration', parseStartFrom).default(defaults.startFrom),
      settleWindow: formatted(DURATION_FORMS, parseNonNegativeDuration).default(defaults.settleWindowMs),
      rescanHorizon: formatted(DURATION_FORMS, parseNonNegativeDuration).default(defaults.rescanHorizonMs),
      concurrency: integer(1, 32).default(defaults.concurrency),
      chunkRows: integer(1000, 1_000_000).default(defaults.chunkRows),
      apiReserve: decimal(0, 0.9).default(defaults.apiReserve),
      realtime: realtimeSchema().optional(),
      retention: formatted('a retention from 1d to 365d', parseRetention).default(defaults.retentionMs),
    },
    'a source mapping (id, label, salesforce, eventTypes, interval, schedule, ...)',
    { elsewhere: belongIn('the salesforce mapping', SALESFORCE_KEYS) },
  )
    .transform((v): SourceConfig => ({
      id: v.id,
      label: v.label ?? v.id,
      salesforce: v.salesforce,
      eventTypes: v.eventTypes,
      interval: v.interval,
      schedule: v.schedule,
      startFrom: v.startFrom,
      settleWindowMs: v.settleWindow,
      rescanHorizonMs: v.rescanHorizon,
      concurrency: v.concurrency,
      chunkRows: v.chunkRows,
      apiReserve: v.apiReserve,
      retentionMs: v.retention,
      ...(v.realtime ? { realtime: v.realtime } : {}),
    }))
    .superRefine(checkRealtimeOverlap);
}

/** Reports values that must be unique: source ids across sources, event types within a source. Runs on raw input. */
function checkUnique(sources: unknown, ctx: z.RefinementCtx): void {
  if (!Array.isArray(sources)) return;
  const ids = new Map<string, number>();
  sources.forEach((source: unknown, i) => {
    if (!isPlainObject(source)) return;
    const { id, eventTypes: types } = source;
    if (typeof id === 'string') {
      const first = ids.get(id);
      if (first === undefined) ids.set(id, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'id'],
          message: `${JSON.stringify(id)} is used by sources[${first}] too; source ids must be unique`,
          input: undefined,
        });
      }
    }
    if (!Array.isArray(types)) return;
    const seen = new Map<string, number>();
    types.forEach((type: unknown, j) => {
      if (typeof type !== 'string') return;
      const firstAt = seen.get(type);
      if (firstAt === undefined) seen.set(type, j);
      else {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'eventTypes', j],
          message: `${JSON.stringify(type)} is listed at sources[${i}].eventTypes[${firstAt}] too; event types must not repeat`,
          input: undefined,
        });
      }
    });
  });
}

/** Schema of `sources`: at least one source, ids unique. */
export function sourcesSchema(secrets: SecretContext) {
  return z
    .array(sourceSchema(secrets), { error: expecting('a list of sources (at least one)') })
    .min(1)
    .superRefine(checkUnique, { when: () => true });
}
