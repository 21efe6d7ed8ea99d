import { jsonString } from '../events/json-text';

/**
 * Splunk HTTP Event Collector envelope for one normalized event line:
 * `{"time": <epoch seconds, ms precision>, "host"?: …, "source": "salesforce:<sourceId>", "sourcetype":
 * "<p_log_type>", "event": <the event>}`. Time and sourcetype are read from the line's `p_event_time` and
 * `p_log_type` without parsing the whole line (the normalizer writes them as plain, escape-free strings).
 */
export function hecEvent(line: string, source: string, host?: string): string {
  const sourcetype = fieldOf(line, '"p_log_type":"') ?? 'Salesforce';
  const eventTime = fieldOf(line, '"p_event_time":"');
  const ms = eventTime === undefined ? NaN : Date.parse(eventTime);
  let out = '{';
  if (!Number.isNaN(ms)) out += `"time":${ms / 1000},`;
  if (host !== undefined) out += `"host":${jsonString(host)},`;
  return `${out}"source":${jsonString(source)},"sourcetype":${jsonString(sourcetype)},"event":${line}}`;
}

/** The string value following `prefix` (a key with its opening quote), if present and unescaped. */
function fieldOf(line: string, prefix: string): string | undefined {
  // In JSON text, `"key":"` with bare quotes can only be a key: quotes inside values are escaped.
  const at = line.indexOf(prefix);
  if (at < 0) return undefined;
  const start = at + prefix.length;
  const end = line.indexOf('"', start);
  if (end < 0) return undefined;
  const value = line.slice(start, end);
  return value.includes('\\') ? undefined : value;
}
