import { advanceCheckpoint, listingWindow, pruneLedger, resolveStartFrom } from '../../src/workflows/checkpoint';

const f = (createdDate: string, id: string, done = true) => ({ createdDate, id, done });

describe('checkpoint rules', () => {
  it('lists from the rescan horizon behind the checkpoint up to now minus the settle window', () => {
    expect(
      listingWindow({
        checkpoint: { createdDate: '2026-11-28T10:00:00.000Z', id: '0AT1' },
        startedFrom: '2026-11-20T00:00:00.000Z',
        rescanHorizonMs: 72 * 3600_000,
        settleWindowMs: 5 * 60_000,
        nowMs: Date.parse('2026-11-28T12:00:00Z'),
      }),
    ).toEqual({ from: '2026-11-25T10:00:00.000Z', to: '2026-11-28T11:55:00.000Z' });
  });

  it('never lists before the start point', () => {
    const w = listingWindow({
      checkpoint: { createdDate: '2026-11-28T10:00:00.000Z', id: '0AT1' },
      startedFrom: '2026-11-28T00:00:00.000Z',
      rescanHorizonMs: 72 * 3600_000,
      settleWindowMs: 0,
      nowMs: Date.parse('2026-11-28T12:00:00Z'),
    });
    expect(w.from).toBe('2026-11-28T00:00:00.000Z');
  });

  it('advances over a page of done files, to the last key the listing saw', () => {
    const r = advanceCheckpoint(undefined, {
      files: [f('2026-11-28T10:00:00.000Z', '0AT2'), f('2026-11-28T10:00:00.000Z', '0AT1')],
      lastSeen: { createdDate: '2026-11-28T11:00:00.000Z', id: '0AT9' },
    });
    expect(r).toEqual({ checkpoint: { createdDate: '2026-11-28T11:00:00.000Z', id: '0AT9' }, blocked: false });
  });

  it('stops before the first file that is not done, with equal CreatedDate ties ordered by Id', () => {
    const r = advanceCheckpoint(
      { createdDate: '2026-11-28T09:00:00.000Z', id: '0AT0' },
      {
        files: [
          f('2026-11-28T10:00:00.000Z', '0AT3'),
          f('2026-11-28T10:00:00.000Z', '0AT2', false),
          f('2026-11-28T10:00:00.000Z', '0AT1'),
        ],
        lastSeen: { createdDate: '2026-11-28T11:00:00.000Z', id: '0AT9' },
      },
    );
    expect(r).toEqual({ checkpoint: { createdDate: '2026-11-28T10:00:00.000Z', id: '0AT1' }, blocked: true });
  });

  it('never moves backwards', () => {
    const cp = { createdDate: '2026-11-28T12:00:00.000Z', id: '0AT5' };
    expect(advanceCheckpoint(cp, { files: [f('2026-11-28T10:00:00.000Z', '0AT1')] }).checkpoint).toEqual(cp);
  });

  it('prunes ledger entries older than the rescan horizon behind the checkpoint', () => {
    const ledger = { a: '2026-11-20T00:00:00.000Z', b: '2026-11-27T00:00:00.000Z' };
    expect(pruneLedger(ledger, { createdDate: '2026-11-28T00:00:00.000Z', id: 'x' }, 72 * 3600_000)).toEqual({
      b: '2026-11-27T00:00:00.000Z',
    });
  });

  it('resolves a relative start against the first cycle', () => {
    expect(resolveStartFrom({ offsetMs: -24 * 3600_000 }, Date.parse('2026-11-28T12:00:00Z'))).toBe(
      '2026-11-27T12:00:00.000Z',
    );
    expect(resolveStartFrom({ instant: '2026-11-01T00:00:00Z' }, 0)).toBe('2026-11-01T00:00:00.000Z');
  });
});
