import type { SourceConfig } from '../config/types';
import { parseDuration } from '../config/durations';
import type { ActivityDeps } from './deps';
import { findSource } from './deps';
import { toActivityFailure } from './failures';
import { recordApiUsage } from './metrics';
import type { LoginInput, LoginResult, SourceSettings } from './types';

/**
 * Logs in to the source's org (or reuses the worker's session), checks that the API user can read EventLogFiles,
 * and hands the workflow the source's non-secret settings, so they are recorded in history.
 */
export function makeLogin(deps: ActivityDeps) {
  return async function login(input: LoginInput): Promise<LoginResult> {
    const source = findSource(deps.config, input.sourceId);
    try {
      const org = await deps.salesforce(source).login();
      recordApiUsage(source.id, org.apiUsage);
      const interval = source.interval === 'auto' ? (org.hourlyAvailable ? 'Hourly' : 'Daily') : source.interval;
      return {
        settings: sourceSettings(source),
        org: {
          orgId: org.orgId,
          username: org.username,
          instanceUrl: org.instanceUrl,
          apiVersion: org.apiVersion,
          hourlyAvailable: org.hourlyAvailable,
        },
        interval,
        apiUsage: org.apiUsage,
      };
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}

export function sourceSettings(source: SourceConfig): SourceSettings {
  return {
    sourceId: source.id,
    label: source.label,
    eventTypes: source.eventTypes.includes('*') ? '*' : source.eventTypes,
    interval: source.interval,
    schedule: source.schedule,
    startFrom: startPoint(source.startFrom),
    settleWindowMs: source.settleWindowMs,
    rescanHorizonMs: source.rescanHorizonMs,
    concurrency: source.concurrency,
    chunkRows: source.chunkRows,
    retentionMs: source.retentionMs,
  };
}

/** `startFrom` is validated by the config loader: a negative duration, or an ISO-8601 instant. */
export function startPoint(startFrom: string): SourceSettings['startFrom'] {
  const offsetMs = parseDuration(startFrom);
  return offsetMs !== undefined ? { offsetMs } : { instant: new Date(startFrom).toISOString() };
}
