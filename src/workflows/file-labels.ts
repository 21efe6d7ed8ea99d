import type { EventLogFileMeta } from '../salesforce/types';

/** `Login 2026-11-27T13:00Z seq 2, 48 MB`: how a file is named in the Web UI and logs. */
export function describeFile(
  file: Pick<EventLogFileMeta, 'eventType' | 'logDate' | 'interval' | 'sequence' | 'logFileLength'>,
): string {
  const date = file.interval === 'Daily' ? file.logDate.slice(0, 10) : `${file.logDate.slice(0, 16)}Z`;
  const seq = file.interval === 'Hourly' ? ` seq ${file.sequence}` : ' daily';
  return `${file.eventType} ${date}${seq}, ${formatBytes(file.logFileLength)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
