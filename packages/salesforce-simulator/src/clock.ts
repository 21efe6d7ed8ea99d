/** The simulated clock. */

/**
 * Simulated time. `manual` moves only when told; `real` runs at wall-clock speed from its start (the demo), and
 * `setNow`/`advance` shift it.
 */
export class SimClock {
  private baseSim: number;
  private baseWall: number;

  constructor(
    startMs: number,
    readonly mode: 'manual' | 'real',
    private readonly wallNow: () => number = Date.now,
  ) {
    this.baseSim = startMs;
    this.baseWall = wallNow();
  }

  /** Simulated now, epoch ms. */
  now(): number {
    return this.mode === 'real' ? this.baseSim + (this.wallNow() - this.baseWall) : this.baseSim;
  }

  setNow(ms: number): void {
    this.baseSim = ms;
    this.baseWall = this.wallNow();
  }

  advance(ms: number): void {
    this.setNow(this.now() + ms);
  }
}
