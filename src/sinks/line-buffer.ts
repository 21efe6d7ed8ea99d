/**
 * Collects NDJSON lines into blocks of about `blockChars` characters. Writing one block instead of one line per
 * stream write matters: each write to a zlib or file stream costs as much as encoding a few hundred lines.
 */
export class LineBuffer {
  private parts: string[] = [];
  private chars = 0;

  constructor(private readonly blockChars: number = 64 * 1024) {}

  /** Adds one line (without newline); true when a block is ready to be taken. */
  add(line: string): boolean {
    this.parts.push(line);
    this.chars += line.length + 1;
    return this.chars >= this.blockChars;
  }

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  /** The buffered lines as UTF-8 NDJSON (each line newline-terminated), or undefined when empty. */
  take(): Buffer | undefined {
    if (this.parts.length === 0) return undefined;
    const text = this.parts.join('\n') + '\n';
    this.parts = [];
    this.chars = 0;
    return Buffer.from(text, 'utf8');
  }

  /** Drops the buffered lines. */
  clear(): void {
    this.parts = [];
    this.chars = 0;
  }
}
