/**
 * Writes results that complete out of band (the normalize worker's answers) strictly in submission order, each
 * as soon as it and all earlier ones are ready, while the submitter keeps going. The submitter waits only when
 * more than `maxBacklog` results are submitted and not yet written, which bounds memory. Decoupling the two
 * matters: waiting for each answer before parsing more leaves both threads idle half of the time.
 */
export class OrderedWrites<T> {
  private chain: Promise<void> = Promise.resolve();
  private backlog = 0;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly write: (result: T) => Promise<void>,
    private readonly maxBacklog: number,
  ) {}

  /** Queues `result` for writing; resolves once the backlog is within bounds. Rejects after a failed write. */
  async add(result: Promise<T>): Promise<void> {
    this.throwIfFailed();
    this.backlog++;
    this.chain = this.chain.then(async () => {
      try {
        if (this.failure === undefined) await this.write(await result);
      } catch (error) {
        this.failure ??= { error };
      } finally {
        this.backlog--;
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
      }
    });
    while (this.backlog > this.maxBacklog && this.failure === undefined) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    this.throwIfFailed();
  }

  /** Waits until everything queued is written. */
  async finish(): Promise<void> {
    await this.chain;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }
}
