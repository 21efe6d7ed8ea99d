/** The real-time channel in tests: a harness whose simulator runs on the wall clock, and waiting on its status. */
import type { WorkflowHandle } from '@temporalio/client';
import type { salesforceRealtimeWorkflow } from '../../src/workflows';
import { realtimeStatusQuery, type RealtimeStatus } from '../../src/workflows/realtime-state';
import { createSourceHarness, type SourceHarness } from './source-harness';
import type { TemporalTestContext } from './temporal';

/**
 * A source reading URI log files and, in real time, LoginEvent and SetupAuditTrail, polled only on demand (a yearly
 * schedule: the first read runs at start, later ones on pollNow). The simulator's clock is the wall clock, as the
 * workflow reads up to its own now.
 */
export async function realtimeHarness(t: TemporalTestContext, prefix: string): Promise<SourceHarness> {
  return createSourceHarness(t, {
    sourcePrefix: prefix,
    sim: { now: new Date().toISOString(), clock: 'real', days: 1 },
    settings: { eventTypes: '[URI]', startFrom: '-1h' },
    source: ['    realtime:', '      objects: [LoginEvent, SetupAuditTrail]', '      schedule: "0 0 1 1 *"'].join('\n'),
  });
}

/** Polls the real-time status until `predicate` holds (fails after `timeoutMs` with the last status). */
export async function waitForRealtime(
  handle: WorkflowHandle<typeof salesforceRealtimeWorkflow>,
  predicate: (s: RealtimeStatus) => boolean,
  timeoutMs = 90_000,
): Promise<RealtimeStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: RealtimeStatus | undefined;
  for (;;) {
    try {
      last = await handle.query(realtimeStatusQuery);
      if (predicate(last)) return last;
    } catch {
      // Not started yet, or between runs of a continue-as-new.
    }
    if (Date.now() > deadline) throw new Error(`real-time status not reached; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
