import type { LoginResult } from '../../src/activities/types';
import { FailureTypes } from '../../src/activities/types';
import type { EventLogFileMeta } from '../../src/salesforce/types';
import {
  beginCycle,
  clearPollWait,
  cycleWindow,
  finishCycle,
  finishListing,
  listingRequest,
  rateLimitDelayMs,
  recordCycleError,
  recordLogin,
  recordOutcome,
  schedulePoll,
  settlePage,
} from '../../src/workflows/cycle';
import type { FileOutcome } from '../../src/workflows/file-ingestion';
import type { CycleSummary } from '../../src/workflows/messages';
import { initialState, type SourceState } from '../../src/workflows/source-state';

const NOW = Date.parse('2026-11-28T12:00:00Z');
const HOUR = 3600_000;

function login(settings: Partial<LoginResult['settings']> = {}): LoginResult {
  return {
    settings: {
      sourceId: 'prod',
      label: 'Production',
      eventTypes: ['Login', 'URI'],
      interval: 'auto',
      schedule: '*/15 * * * *',
      startFrom: { offsetMs: -24 * HOUR },
      settleWindowMs: 5 * 60_000,
      rescanHorizonMs: 72 * HOUR,
      concurrency: 4,
      chunkRows: 1000,
      ...settings,
    },
    org: {
      orgId: '00D000000000001',
      username: 'elf@example.com',
      instanceUrl: 'https://x.my.salesforce.com',
      apiVersion: '64.0',
      hourlyAvailable: true,
    },
    interval: 'Hourly',
  };
}

function file(id: string, createdDate: string): EventLogFileMeta {
  return {
    id,
    eventType: 'Login',
    logDate: '2026-11-28T10:00:00.000Z',
    createdDate,
    interval: 'Hourly',
    sequence: 0,
    logFileLength: 100,
  };
}

const ingested = (f: EventLogFileMeta, rows: number, malformedRows = 0): FileOutcome => ({
  kind: 'ingested',
  file: f,
  result: {
    rows,
    chunks: 1,
    malformedRows,
    unknownColumns: [],
    bytesRead: 100,
    resumedFromChunk: undefined,
    output: 'stdout',
  },
});

function freshCycle(): CycleSummary {
  return {
    startedAt: '2026-11-28T12:00:00.000Z',
    filesListed: 0,
    filesIngested: 0,
    filesAlreadyDone: 0,
    filesFailed: 0,
    rows: 0,
  };
}

describe('a poll cycle', () => {
  it('starts a new cycle summary, or takes up the one cut between pages and clears its position', () => {
    const s = initialState();
    expect(beginCycle(s, NOW)).toEqual({ cycle: freshCycle() });
    expect(s.lastCycle).toEqual(freshCycle());

    const cut = { ...freshCycle(), filesListed: 200, filesIngested: 199 };
    const position = {
      window: { from: '2026-11-27T12:00:00.000Z', to: '2026-11-28T11:55:00.000Z' },
      after: { createdDate: '2026-11-28T01:00:00.000Z', id: '0AT9' },
      blocked: true,
      cycle: cut,
    };
    s.listing = position;
    const begun = beginCycle(s, NOW + HOUR);
    expect(begun.cycle).toBe(cut);
    expect(begun.resumed).toEqual(position);
    expect(s.listing).toBeUndefined();
    expect(s.lastCycle).toBe(cut);
  });

  it('records the org, schedule, retention and start point a login reports', () => {
    const s = initialState();
    const cycle = freshCycle();
    expect(recordLogin(s, cycle, login({ retentionMs: 90 * 24 * HOUR }), NOW)).toBeUndefined();
    expect(s).toEqual({
      ...initialState(),
      orgId: '00D000000000001',
      label: 'Production',
      interval: 'Hourly',
      schedule: '*/15 * * * *',
      retentionMs: 90 * 24 * HOUR,
      startedFrom: '2026-11-27T12:00:00.000Z',
    });
    expect(cycle.interval).toBe('Hourly');

    // The start point is resolved once; a login without retention keeps the one known.
    recordLogin(s, cycle, login({ startFrom: { instant: '2026-01-01T00:00:00Z' } }), NOW + HOUR);
    expect(s.startedFrom).toBe('2026-11-27T12:00:00.000Z');
    expect(s.retentionMs).toBe(90 * 24 * HOUR);
  });

  it('stops at a schedule that never fires, having recorded the org but not the schedule', () => {
    const s = initialState();
    const problem = recordLogin(s, freshCycle(), login({ schedule: '0 0 31 2 *' }), NOW);
    expect(problem).toMatch(/^schedule .+; fix it in the worker's configuration$/);
    expect(s.orgId).toBe('00D000000000001');
    expect(s.label).toBe('Production');
    expect(s.schedule).toBeUndefined();
    expect(s.startedFrom).toBeUndefined();
  });

  it('lists from the rescan horizon behind the checkpoint, or the window of the cycle it resumes', () => {
    const s: SourceState = {
      ...initialState(),
      startedFrom: '2026-11-01T00:00:00.000Z',
      checkpoint: { createdDate: '2026-11-28T10:00:00.000Z', id: '0AT1' },
    };
    const cycle = freshCycle();
    expect(cycleWindow(s, cycle, login().settings, undefined, NOW)).toEqual({
      from: '2026-11-25T10:00:00.000Z',
      to: '2026-11-28T11:55:00.000Z',
    });
    expect(cycle.window).toEqual({ from: '2026-11-25T10:00:00.000Z', to: '2026-11-28T11:55:00.000Z' });

    const window = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' };
    const resumed = { window, after: { createdDate: '2026-11-20T05:00:00.000Z', id: '0AT5' }, blocked: false, cycle };
    expect(cycleWindow(s, cycle, login().settings, resumed, NOW)).toEqual(window);
    expect(cycle.window).toEqual(window);
  });

  it('asks for a page after the last key, excluding the ledger ids it can meet (or, before the patch, all)', () => {
    const ledger = {
      old: '2026-11-20T00:00:00.000Z',
      a: '2026-11-28T02:00:00.000Z',
      b: '2026-11-28T01:00:00.000Z',
    };
    const window = { from: '2026-11-25T00:00:00.000Z', to: '2026-11-28T11:55:00.000Z' };
    const base = { sourceId: 'prod', login: login(), window, ledger };
    expect(listingRequest({ ...base, after: undefined, boundedExclusions: true })).toEqual({
      sourceId: 'prod',
      interval: 'Hourly',
      eventTypes: ['Login', 'URI'],
      createdFrom: '2026-11-25T00:00:00.000Z',
      createdBefore: '2026-11-28T11:55:00.000Z',
      after: undefined,
      excludeIds: ['b', 'a'],
      pageSize: 200,
    });
    const after = { createdDate: '2026-11-28T01:30:00.000Z', id: 'x' };
    expect(listingRequest({ ...base, after, boundedExclusions: true }).excludeIds).toEqual(['a']);
    expect(listingRequest({ ...base, after, boundedExclusions: false }).excludeIds).toEqual(['old', 'a', 'b']);
  });

  it('counts each outcome in the cycle, the ledger, the totals and the failed files', () => {
    const s = initialState();
    const cycle = freshCycle();
    const [f1, f2, f3, f4, f5] = ['f1', 'f2', 'f3', 'f4', 'f5'].map((id, i) => file(id, `2026-11-28T0${i}:00:00.000Z`));
    recordOutcome(s, { kind: 'failed', file: f1!, reason: 'boom', permanent: false }, cycle, NOW);
    expect(s.failedFiles).toEqual([
      {
        fileId: 'f1',
        eventType: 'Login',
        logDate: '2026-11-28T10:00:00.000Z',
        sequence: 0,
        at: '2026-11-28T12:00:00.000Z',
        reason: 'boom',
        permanent: false,
        file: f1,
      },
    ]);
    recordOutcome(s, ingested(f1!, 10, 1), cycle, NOW);
    recordOutcome(s, { kind: 'already-done', file: f2! }, cycle, NOW);
    recordOutcome(s, { kind: 'failed', file: f3!, reason: 'gone', permanent: true }, cycle, NOW);
    recordOutcome(s, { kind: 'in-progress', file: f4! }, cycle, NOW);
    recordOutcome(s, ingested(f5!, 5), undefined, NOW);

    expect(cycle).toEqual({ ...freshCycle(), filesIngested: 1, filesAlreadyDone: 1, filesFailed: 2, rows: 10 });
    expect(s.ledger).toEqual({
      f1: f1!.createdDate,
      f2: f2!.createdDate,
      f3: f3!.createdDate,
      f5: f5!.createdDate,
    });
    expect(s.totals).toEqual({ files: 2, rows: 15, malformedRows: 1 });
    expect(s.failedFiles.map((f) => [f.fileId, f.permanent])).toEqual([['f3', true]]);
  });

  it('moves the checkpoint over the done files of a page up to the first that is not, and stays there', () => {
    const s = initialState();
    const [f1, f2, f3] = ['f1', 'f2', 'f3'].map((id, i) => file(id, `2026-11-28T0${i + 1}:00:00.000Z`));
    const page = { files: [f1!, f2!, f3!], lastSeen: { createdDate: f3!.createdDate, id: 'f3' } };
    const outcomes: FileOutcome[] = [
      ingested(f1!, 1),
      { kind: 'failed', file: f2!, reason: 'timeout', permanent: false },
      ingested(f3!, 1),
    ];
    expect(settlePage(s, page, outcomes, false, 72 * HOUR)).toBe(true);
    expect(s.checkpoint).toEqual({ createdDate: f1!.createdDate, id: 'f1' });

    // Blocked: a later page, all done, leaves the checkpoint where it is.
    const f4 = file('f4', '2026-11-28T05:00:00.000Z');
    expect(
      settlePage(
        s,
        { files: [f4], next: { createdDate: f4.createdDate, id: 'f4' } },
        [ingested(f4, 1)],
        true,
        72 * HOUR,
      ),
    ).toBe(true);
    expect(s.checkpoint).toEqual({ createdDate: f1!.createdDate, id: 'f1' });
  });

  it('moves the checkpoint to where the next page starts when every file is done', () => {
    const s = initialState();
    const f1 = file('f1', '2026-11-28T01:00:00.000Z');
    const next = { createdDate: '2026-11-28T02:00:00.000Z', id: 'f9' };
    expect(settlePage(s, { files: [f1], lastSeen: next, next }, [ingested(f1, 1)], false, 72 * HOUR)).toBe(false);
    expect(s.checkpoint).toEqual(next);
  });

  it('forgets ledger entries behind the rescan horizon, between pages and after the last', () => {
    const s: SourceState = {
      ...initialState(),
      ledger: { behind: '2026-11-20T00:00:00.000Z', near: '2026-11-27T00:00:00.000Z' },
    };
    settlePage(s, { files: [], lastSeen: { createdDate: '2026-11-28T00:00:00.000Z', id: 'z' } }, [], false, 72 * HOUR);
    expect(s.ledger).toEqual({ near: '2026-11-27T00:00:00.000Z' });
    s.ledger.old = '2026-11-01T00:00:00.000Z';
    finishListing(s, 72 * HOUR);
    expect(s.ledger).toEqual({ near: '2026-11-27T00:00:00.000Z' });
  });

  it('records a failed cycle, and a rate limit sets the instant before which none runs', () => {
    const s = initialState();
    const cycle = freshCycle();
    recordCycleError(s, cycle, 'REQUEST_LIMIT_EXCEEDED', 30 * 60_000, NOW);
    expect(cycle.error).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(s.lastError).toEqual({ at: '2026-11-28T12:00:00.000Z', message: 'cycle failed: REQUEST_LIMIT_EXCEEDED' });
    expect(s.retryAt).toBe('2026-11-28T12:30:00.000Z');

    const other = initialState();
    recordCycleError(other, freshCycle(), 'INVALID_LOGIN', undefined, NOW);
    expect(other.retryAt).toBeUndefined();
  });

  it('takes the delay a rate-limited failure names, an hour when it names none, nothing for other failures', () => {
    expect(rateLimitDelayMs({ type: FailureTypes.rateLimited, details: [{ retryAfterMs: 120_000 }] })).toBe(120_000);
    expect(rateLimitDelayMs({ type: FailureTypes.rateLimited, details: [] })).toBe(3600_000);
    expect(rateLimitDelayMs({ type: FailureTypes.rateLimited, details: [{ retryAfterMs: -1 }] })).toBe(3600_000);
    expect(rateLimitDelayMs({ type: FailureTypes.auth, details: [{ retryAfterMs: 120_000 }] })).toBeUndefined();
    expect(rateLimitDelayMs(undefined)).toBeUndefined();
  });

  it('finishes a cycle: its end instant and one more cycle', () => {
    const s = initialState();
    const cycle = freshCycle();
    finishCycle(s, cycle, NOW + 60_000);
    expect(cycle.finishedAt).toBe('2026-11-28T12:01:00.000Z');
    expect(s.cycles).toBe(1);
  });

  it('schedules the next poll at the next tick, not before a rate limit allows, then clears both', () => {
    const s: SourceState = { ...initialState(), schedule: '0 * * * *' };
    expect(schedulePoll(s, NOW + 60_000)).toBe(Date.parse('2026-11-28T13:00:00Z'));
    expect(s.nextRunAt).toBe('2026-11-28T13:00:00.000Z');

    s.retryAt = '2026-11-28T14:30:00.000Z';
    expect(schedulePoll(s, NOW + 60_000)).toBe(Date.parse('2026-11-28T14:30:00Z'));
    expect(s.nextRunAt).toBe('2026-11-28T14:30:00.000Z');

    clearPollWait(s);
    expect(s.nextRunAt).toBeUndefined();
    expect(s.retryAt).toBeUndefined();
  });

  it('polls on the default schedule, and says so, when the one kept never fires', () => {
    const s: SourceState = { ...initialState(), schedule: '0 0 31 2 *' };
    expect(schedulePoll(s, NOW + 60_000)).toBe(Date.parse('2026-11-28T12:15:00Z'));
    expect(s.lastError?.message).toMatch(/^schedule .+: polling on \*\/15 \* \* \* \* until it is fixed$/);
  });
});
