/**
 * Facts about the EventLogFile sObject in one org: which optional fields its describe exposes, and how a listed
 * record becomes the {@link EventLogFileMeta} that travels through workflow history.
 */
import { fromSalesforceDateTime } from './dates';
import type { EventLogFileFieldSupport } from './soql';
import type { EventLogFileMeta, LogInterval } from './types';

/** The part of a describe result we read. */
export interface DescribeLike {
  fields?: readonly { name: string; picklistValues?: readonly { value: string; active?: boolean }[] | null }[];
}

/** What the org's EventLogFile describe tells us. */
export interface EventLogFileSchema {
  support: EventLogFileFieldSupport;
  /** Active values of the Interval picklist (empty when the field is absent). */
  intervalValues: string[];
  /** Active values of the EventType picklist at the configured API version. */
  eventTypes: string[];
}

/** A listed EventLogFile record as REST returns it (datetimes in `…+0000` form). */
export interface EventLogFileRecord {
  Id: string;
  EventType: string;
  LogDate: string;
  CreatedDate: string;
  LogFileLength: number | string | null;
  Interval?: string | null;
  Sequence?: number | null;
  ApiVersion?: number | null;
}

/** Reads field support and picklists from `GET …/sobjects/EventLogFile/describe`. */
export function schemaFromDescribe(describe: DescribeLike): EventLogFileSchema {
  const fields = new Map((describe.fields ?? []).map((f) => [f.name.toLowerCase(), f]));
  const activeValues = (name: string): string[] =>
    (fields.get(name)?.picklistValues ?? []).filter((v) => v.active !== false).map((v) => v.value);
  return {
    support: {
      interval: fields.has('interval'),
      sequence: fields.has('sequence'),
      apiVersion: fields.has('apiversion'),
    },
    intervalValues: activeValues('interval'),
    eventTypes: activeValues('eventtype'),
  };
}

/**
 * A listed record → metadata with ISO-8601 instants. Without an Interval value the interval follows from
 * Sequence (0 daily, ≥ 1 hourly); without either field every file is daily.
 */
export function toEventLogFileMeta(record: EventLogFileRecord): EventLogFileMeta {
  const sequence = typeof record.Sequence === 'number' ? record.Sequence : 0;
  const interval: LogInterval =
    record.Interval === 'Hourly' || record.Interval === 'Daily' ? record.Interval : sequence > 0 ? 'Hourly' : 'Daily';
  const meta: EventLogFileMeta = {
    id: record.Id,
    eventType: record.EventType,
    logDate: fromSalesforceDateTime(record.LogDate),
    createdDate: fromSalesforceDateTime(record.CreatedDate),
    interval,
    sequence,
    logFileLength: Number(record.LogFileLength ?? 0),
  };
  if (typeof record.ApiVersion === 'number') meta.apiVersion = record.ApiVersion;
  return meta;
}

/**
 * The interval a source lists: the configured one, or for `auto` Hourly when the org publishes hourly files
 * (`OrgInfo.hourlyAvailable`), else Daily. Never both: hourly and daily files hold the same events.
 */
export function resolveInterval(configured: 'auto' | LogInterval, hourlyAvailable: boolean): LogInterval {
  if (configured !== 'auto') return configured;
  return hourlyAvailable ? 'Hourly' : 'Daily';
}
