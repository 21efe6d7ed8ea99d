/**
 * Buffers of one size, reused: for a sink's staging, where a fresh buffer per write would be, on a large file,
 * gigabytes of memory that only garbage collection gives back.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly size: number,
    /** Free buffers kept; more are let go. */
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafeSlow(this.size);
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keep && buffer.length === this.size) this.free.push(buffer);
  }
}
