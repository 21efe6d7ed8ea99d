/**
 * The input bytes of a file from some offset on, addressed by absolute file offset. The parser keeps the bytes of
 * the record being parsed (to quote a malformed record's raw text and to restart parsing after a quoting error)
 * and frees everything before it, so memory follows the record size, not the file size.
 */
export class ByteWindow {
  private chunks: Buffer[] = [];
  /** Absolute offset of the first byte of `chunks[0]`. */
  private start = 0;
  /** Absolute offset just past the last byte received. */
  end = 0;

  /** Appends the next bytes of the file. */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.end += chunk.length;
  }

  /** Frees whole chunks that end at or before `offset`. */
  discardBefore(offset: number): void {
    while (this.chunks.length > 0) {
      const first = this.chunks[0] as Buffer;
      if (this.start + first.length > offset) break;
      this.chunks.shift();
      this.start += first.length;
    }
  }

  /** Frees everything. */
  clear(): void {
    this.start = this.end;
    this.chunks = [];
  }

  /** Calls `fn` with the retained bytes from `from` on, chunk by chunk (views, no copy). */
  forEachFrom(from: number, fn: (piece: Buffer, pieceStart: number) => void): void {
    let off = this.start;
    for (const b of this.chunks) {
      const bEnd = off + b.length;
      if (bEnd > from) fn(from > off ? b.subarray(from - off) : b, Math.max(from, off));
      off = bEnd;
    }
  }

  byteAt(pos: number): number | undefined {
    let off = this.start;
    for (const b of this.chunks) {
      if (pos < off + b.length) return pos >= off ? b[pos - off] : undefined;
      off += b.length;
    }
    return undefined;
  }

  /** First offset in [from, to) holding `byte`, or -1. */
  indexOf(byte: number, from: number, to: number): number {
    let off = this.start;
    for (const b of this.chunks) {
      const bEnd = off + b.length;
      if (bEnd > from && off < to) {
        const i = b.indexOf(byte, Math.max(0, from - off));
        if (i >= 0 && off + i < to) return off + i;
      }
      off = bEnd;
    }
    return -1;
  }

  /** Last offset in [from, to) holding `byte`, or -1. */
  lastIndexOf(byte: number, from: number, to: number): number {
    let found = -1;
    let off = this.start;
    for (const b of this.chunks) {
      const bEnd = off + b.length;
      if (bEnd > from && off < to) {
        const i = b.lastIndexOf(byte, Math.min(b.length, to - off) - 1);
        if (i >= 0 && off + i >= from) found = off + i;
      }
      off = bEnd;
    }
    return found;
  }

  /** The bytes in [from, to) (a view when they lie in one chunk, else a copy). */
  slice(from: number, to: number): Buffer {
    const parts: Buffer[] = [];
    let off = this.start;
    for (const b of this.chunks) {
      const bEnd = off + b.length;
      if (bEnd > from && off < to) parts.push(b.subarray(Math.max(0, from - off), Math.min(b.length, to - off)));
      off = bEnd;
    }
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }
}
