import { jsonString } from '../events/json-text';
import { plainStringField } from './line-fields';

/**
 * Splunk HTTP Event Collector envelope for one normalized event line:
 * `{"time": <epoch seconds, ms precision>, "host"?: …, "source": "salesforce:<sourceId>", "sourcetype":
 * "<p_log_type>", "event": <the event>}`. Time and sourcetype are read from the line's `p_event_time` and
 * `p_log_type` without parsing the whole line (the normalizer writes them as plain, escape-free strings).
 */
export function hecEvent(line: string, source: string, host?: string): string {
  const sourcetype = plainStringField(line, 'p_log_type') ?? 'Salesforce';
  const eventTime = plainStringField(line, 'p_event_time');
  const ms = eventTime === undefined ? NaN : Date.parse(eventTime);
  let out = '{';
  if (!Number.isNaN(ms)) out += `"time":${ms / 1000},`;
  if (host !== undefined) out += `"host":${jsonString(host)},`;
  return `${out}"source":${jsonString(source)},"sourcetype":${jsonString(sourcetype)},"event":${line}}`;
}
