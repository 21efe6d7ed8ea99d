/** Activity proxies grouped by timeout class. */
import { proxyActivities } from '@temporalio/workflow';
import type { ElfstreamActivities } from '../activities/types';
import { FailureTypes, NON_RETRYABLE_FAILURES } from '../activities/types';

/** Login, listing and ledger look-ups: short calls, retried a few times before the cycle reports an error. */
export const METADATA_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2s',
    maximumInterval: '1 minute',
    maximumAttempts: 5,
    nonRetryableErrorTypes: NON_RETRYABLE_FAILURES,
  },
} as const;

export const metadataActivities = proxyActivities<ElfstreamActivities>(METADATA_ACTIVITY_OPTIONS);

/**
 * The source workflow's own login and listing: as {@link METADATA_ACTIVITY_OPTIONS}, but a rate-limited call is not
 * retried by Temporal (its wait can be an hour, invisible inside a pending activity): the cycle ends with the reason
 * in status and the source waits for the delay the failure asks for, or a pollNow. Backfills keep retrying.
 */
export const CYCLE_ACTIVITY_OPTIONS = {
  ...METADATA_ACTIVITY_OPTIONS,
  retry: {
    ...METADATA_ACTIVITY_OPTIONS.retry,
    nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURES, FailureTypes.rateLimited],
  },
};

/** The source workflow's login and listing options with a summary the Web UI shows on the activity. */
export function withCycleSummary(summary: string): typeof CYCLE_ACTIVITY_OPTIONS & { summary: string } {
  return { ...CYCLE_ACTIVITY_OPTIONS, summary };
}

/** Metadata activity options with a summary the Web UI shows on the activity. */
export function withSummary(summary: string): typeof METADATA_ACTIVITY_OPTIONS & { summary: string } {
  return { ...METADATA_ACTIVITY_OPTIONS, summary };
}

/**
 * Streaming one EventLogFile can take long for big files; liveness comes from heartbeats (a dead worker is noticed
 * within the heartbeat timeout and the next attempt resumes after the last committed chunk).
 */
export const INGEST_ACTIVITY_OPTIONS = {
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '5s',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    maximumAttempts: 10,
    nonRetryableErrorTypes: NON_RETRYABLE_FAILURES,
  },
} as const;

export const ingestActivities = proxyActivities<ElfstreamActivities>(INGEST_ACTIVITY_OPTIONS);
