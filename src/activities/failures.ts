/** Turns what went wrong in an activity into an ApplicationFailure whose `type` workflows and retries act on. */
import { ApplicationFailure } from '@temporalio/activity';
import { LogFileFormatError } from '../events/parse-log-file';
import { SalesforceError } from '../salesforce/errors';
import { FailureTypes } from './types';

const BY_KIND: Record<SalesforceError['kind'], string> = {
  auth: FailureTypes.auth,
  permission: FailureTypes.permission,
  config: FailureTypes.config,
  'rate-limited': FailureTypes.rateLimited,
  transient: FailureTypes.transient,
  'not-found': FailureTypes.fileGone,
  'invalid-request': FailureTypes.invalidRequest,
  unreadable: FailureTypes.unreadableFile,
};

export function toActivityFailure(err: unknown): unknown {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof SalesforceError) {
    const type = BY_KIND[err.kind];
    return ApplicationFailure.create({
      type,
      message: err.message,
      nonRetryable: ['auth', 'permission', 'config', 'not-found', 'invalid-request', 'unreadable'].includes(err.kind),
      nextRetryDelay: err.kind === 'rate-limited' ? (err.retryAfterMs ?? 3600_000) : undefined,
      // Workflows cannot read nextRetryDelay from a failure; the source workflow waits this long before its next
      // cycle when listing or login is rate-limited.
      details: err.kind === 'rate-limited' ? [{ retryAfterMs: err.retryAfterMs ?? 3600_000 }] : undefined,
    });
  }
  if (isFinalSinkError(err)) {
    return ApplicationFailure.create({ type: FailureTypes.output, message: err.message, nonRetryable: true });
  }
  if (err instanceof LogFileFormatError) {
    return ApplicationFailure.create({ type: FailureTypes.unreadableFile, message: err.message, nonRetryable: true });
  }
  return err;
}

/** A sink's error that says no later attempt can succeed (`retryable: false`, as HttpSinkError and S3SinkError do). */
function isFinalSinkError(err: unknown): err is Error {
  return err instanceof Error && (err as { retryable?: unknown }).retryable === false;
}

export function configFailure(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: FailureTypes.config, message, nonRetryable: true });
}
