/** Reading Temporal failure chains in workflow code. */
import { ApplicationFailure } from '@temporalio/workflow';

/** The innermost message of a failure chain: the activity's own words, not Temporal's wrapping. */
export function innermostMessage(err: unknown): string {
  let e: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  while (e instanceof Error) {
    if (e.message) message = e.message;
    e = (e as Error & { cause?: unknown }).cause;
  }
  return message;
}

/** The innermost ApplicationFailure of a chain, whose `type` says what went wrong. */
export function innermostApplicationFailure(err: unknown): ApplicationFailure | undefined {
  let e: unknown = err;
  let found: ApplicationFailure | undefined;
  while (e instanceof Error) {
    if (e instanceof ApplicationFailure) found = e;
    e = (e as Error & { cause?: unknown }).cause;
  }
  return found;
}
