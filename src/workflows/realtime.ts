import {
  type ActivityOptions,
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  isCancellation,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ElfstreamActivities, RealtimeLoginResult, RealtimeReadResult } from '../activities/types';
import { wholeSecond, type RealtimeCursor } from '../realtime/cursor';
import { CYCLE_ACTIVITY_OPTIONS } from './activity-options';
import { resolveStartFrom } from './checkpoint';
import { nextCronTick } from './cron';
import { innermostMessage } from './failures';
import { backfillSignal, pauseSignal, pollNowSignal, resumeSignal } from './messages';
import { renderRealtimeDetails } from './realtime-details';
import type { RealtimeState, RealtimeStatus } from './realtime-state';
import {
  cursorOf,
  realtimeStatusQuery,
  recordRealtimeError,
  rememberRealtimeBackfill,
  restoreRealtimeState,
  toRealtimeStatus,
  validateRealtimeBackfill,
} from './realtime-state';
import { SOURCE_ID } from './search-attributes';

export interface RealtimeWorkflowInput {
  sourceId: string;
  /** Carried by continue-as-new, or by a start after a stop (the stopped run's result). */
  state?: RealtimeState;
  /** Continue-as-new after this many cycles (tests lower it; otherwise the server's suggestion decides). */
  continueAsNewAfterCycles?: number;
}

/** Records one read takes before the window is narrowed; reads per object per cycle before the next object. */
const MAX_RECORDS_PER_READ = 2000;
const MAX_READS_PER_OBJECT_PER_CYCLE = 20;
const DEFAULT_SCHEDULE = '* * * * *';

/**
 * Reads are short: a few queries and one output unit, retried like listings. They heartbeat between queries and
 * chunks, so a read on a worker that died is retried (with the same input, so onto the same output) within the
 * heartbeat timeout rather than the start-to-close timeout.
 */
const READ_OPTIONS: ActivityOptions = {
  ...CYCLE_ACTIVITY_OPTIONS,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '20 seconds',
};
const realtime = proxyActivities<ElfstreamActivities>(READ_OPTIONS);

/**
 * The real-time channel of one source (`elfstream-realtime-<sourceId>`): on each tick of `realtime.schedule`, reads
 * every configured storage event object and the Setup Audit Trail from its cursor to now and writes the new records;
 * keeps the cursors in its state and continues-as-new when its history grows. Answers the same signals and query
 * names as the source workflow (`pause`, `resume`, `pollNow`, `backfill`, `status`).
 */
export async function salesforceRealtimeWorkflow(input: RealtimeWorkflowInput): Promise<RealtimeState> {
  const { sourceId } = input;
  const s = restoreRealtimeState(input.state);
  let phase: RealtimeStatus['state'] = 'starting';
  let pollRequested = false;
  let cyclesThisRun = 0;

  const status = (): RealtimeStatus => toRealtimeStatus(sourceId, s, phase, Date.now());
  const refreshDetails = (): void => setCurrentDetails(renderRealtimeDetails(status()));

  setHandler(realtimeStatusQuery, status);
  setHandler(pauseSignal, () => {
    s.paused = true;
    refreshDetails();
  });
  setHandler(resumeSignal, () => {
    s.paused = false;
    refreshDetails();
  });
  setHandler(pollNowSignal, () => {
    if (s.paused) recordRealtimeError(s, 'pollNow ignored: the channel is paused (send resume first)', Date.now());
    else pollRequested = true;
    refreshDetails();
  });
  setHandler(backfillSignal, (req) => {
    const problem = validateRealtimeBackfill(s, req, Date.now());
    if (problem) recordRealtimeError(s, `backfill rejected: ${problem}`, Date.now());
    else {
      const objects = req.eventTypes?.length ? req.eventTypes : (s.objects ?? []);
      rememberRealtimeBackfill(s, {
        backfillId: `realtime-${wholeSecond(Date.parse(req.from))}-${wholeSecond(Date.parse(req.to))}`,
        from: wholeSecond(Date.parse(req.from)),
        to: wholeSecond(Date.parse(req.to)),
        objects,
        requestedAt: new Date().toISOString(),
        state: 'queued',
        cursors: {},
        written: 0,
      });
    }
    refreshDetails();
  });

  upsertSearchAttributes([{ key: SOURCE_ID, value: sourceId }]);
  refreshDetails();

  /** Reads `object` from `cursor` up to `until`, as many reads as it takes (bounded); returns the last result. */
  async function readObject(
    settings: RealtimeLoginResult,
    object: string,
    cursor: RealtimeCursor,
    until: string,
    onRead: (r: RealtimeReadResult) => void,
  ): Promise<boolean> {
    let current = cursor;
    for (let i = 0; i < MAX_READS_PER_OBJECT_PER_CYCLE; i++) {
      const r = await realtime.readRealtimeObject.executeWithOptions(
        { ...READ_OPTIONS, summary: `Read ${object} of ${sourceId} until ${until}` },
        [
          {
            sourceId,
            orgId: settings.orgId,
            object,
            cursor: current,
            until,
            parseTime: new Date().toISOString(),
            maxRecords: MAX_RECORDS_PER_READ,
          },
        ],
      );
      onRead(r);
      current = r.cursor;
      if (!r.more) return false;
    }
    return true;
  }

  async function runCycle(): Promise<void> {
    phase = 'polling';
    refreshDetails();
    try {
      const settings = await realtime.realtimeLogin.executeWithOptions(
        { ...CYCLE_ACTIVITY_OPTIONS, summary: `Log in to ${sourceId} (real-time channel)` },
        [{ sourceId }],
      );
      s.orgId = settings.orgId;
      s.label = settings.label;
      s.schedule = settings.schedule;
      s.objects = settings.objects;
      s.startedFrom ??= wholeSecond(Date.parse(resolveStartFrom(settings.startFrom, Date.now())));
      const until = wholeSecond(Date.now());
      for (const object of settings.objects) {
        const progress = (s.progress[object] ??= { written: 0 });
        try {
          const behind = await readObject(settings, object, cursorOf(s, object, s.startedFrom), until, (r) => {
            s.cursors[object] = r.cursor;
            progress.written += r.written;
            progress.lastReadAt = new Date().toISOString();
            if (r.newestEventTime) progress.newestEventTime = r.newestEventTime;
            progress.error = undefined;
            refreshDetails();
          });
          if (behind) pollRequested = true; // catching up: read on at once, after the other objects
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          progress.error = innermostMessage(err);
          recordRealtimeError(s, `${object}: ${progress.error}`, Date.now());
        }
      }
      await runBackfills(settings);
    } catch (err) {
      if (!(err instanceof ApplicationFailure) && !(err instanceof ActivityFailure)) throw err;
      recordRealtimeError(s, `cycle failed: ${innermostMessage(err)}`, Date.now());
    } finally {
      s.cycles += 1;
      cyclesThisRun += 1;
      phase = 'waiting';
      refreshDetails();
    }
  }

  /** Queued backfills, one at a time, each object from `from` to `to`. */
  async function runBackfills(settings: RealtimeLoginResult): Promise<void> {
    for (const b of s.backfills) {
      if (b.state !== 'queued' && b.state !== 'running') continue;
      b.state = 'running';
      refreshDetails();
      try {
        for (const object of b.objects) {
          let behind = true;
          while (behind) {
            b.cursors[object] ??= { through: b.from, from: b.from, seen: [] };
            behind = await readObject(settings, object, b.cursors[object], b.to, (r) => {
              b.cursors[object] = r.cursor;
              b.written += r.written;
              refreshDetails();
            });
          }
        }
        b.state = 'completed';
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        b.state = 'failed';
        b.error = innermostMessage(err);
      }
      b.cursors = {};
      refreshDetails();
    }
  }

  const hasQueuedBackfill = (): boolean => s.backfills.some((b) => b.state === 'queued');
  let due = s.cycles === 0;
  try {
    for (;;) {
      const limit = input.continueAsNewAfterCycles;
      if ((limit !== undefined && cyclesThisRun >= limit) || workflowInfo().continueAsNewSuggested) break;
      if (s.paused) {
        phase = 'paused';
        refreshDetails();
        await condition(() => !s.paused);
        continue;
      }
      if (!due && !pollRequested) {
        const nextMs = nextCronTick(s.schedule ?? DEFAULT_SCHEDULE, Date.now());
        s.nextRunAt = new Date(nextMs).toISOString();
        phase = 'waiting';
        refreshDetails();
        await condition(() => pollRequested || s.paused || hasQueuedBackfill(), nextMs - Date.now(), {
          summary: `next read ${s.nextRunAt} (or on pollNow, backfill, pause)`,
        });
        if (s.paused) continue;
      }
      due = false;
      pollRequested = false;
      s.nextRunAt = undefined;
      await runCycle();
    }
  } catch (err) {
    // Stopped (cancelled): end with the state as the result, so the next start carries on from the cursors.
    if (!isCancellation(err)) throw err;
    s.nextRunAt = undefined;
    return s;
  }
  phase = 'draining';
  refreshDetails();
  await condition(allHandlersFinished);
  await continueAsNew<typeof salesforceRealtimeWorkflow>({
    sourceId,
    state: s,
    continueAsNewAfterCycles: input.continueAsNewAfterCycles,
  });
  throw new Error('unreachable');
}
