import { isUtf8 } from 'node:buffer';

/** UTF-8 validity of a file's bytes, checked chunk by chunk as they arrive. */

/** Length of the sequence a lead byte starts, or 0 for a byte that cannot start one. */
function sequenceLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * Number of bytes at the end of `buf` that start a multi-byte sequence the buffer does not finish (0–3): a chunk
 * boundary can split a character, and those bytes must be checked together with the next chunk.
 */
export function incompleteUtf8Tail(buf: Uint8Array): number {
  const len = buf.length;
  for (let back = 1; back <= 3 && back <= len; back++) {
    const b = buf[len - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = sequenceLength(b);
    return need > back ? back : 0;
  }
  return 0;
}

/** Offsets (relative to `buf`) of the bytes that start an invalid UTF-8 sequence, per RFC 3629. */
export function invalidUtf8Offsets(buf: Uint8Array): number[] {
  const bad: number[] = [];
  const len = buf.length;
  let i = 0;
  while (i < len) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = sequenceLength(b);
    let ok = need > 0 && i + need <= len;
    if (ok) {
      const b1 = buf[i + 1] as number;
      // Second-byte ranges exclude overlong forms, surrogates and code points above U+10FFFF.
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      ok = b1 >= lo && b1 <= hi;
      for (let k = 2; ok && k < need; k++) ok = ((buf[i + k] as number) & 0xc0) === 0x80;
    }
    if (ok) i += need;
    else {
      bad.push(i);
      i++;
    }
  }
  return bad;
}

/**
 * Finds the invalid UTF-8 bytes of a byte stream by absolute offset. The fast path is one native `isUtf8` call
 * per chunk; only a chunk that fails is scanned. A character split across chunks is checked with the next chunk.
 */
export class Utf8Tracker {
  private carry: Buffer | undefined;
  private bad: number[] = [];
  private head = 0;

  /** Checks the next chunk, which starts at absolute offset `start`. */
  check(chunk: Buffer, start: number): void {
    let data = chunk;
    let dataStart = start;
    if (this.carry !== undefined) {
      data = Buffer.concat([this.carry, chunk]);
      dataStart -= this.carry.length;
      this.carry = undefined;
    }
    const tail = incompleteUtf8Tail(data);
    const body = tail === 0 ? data : data.subarray(0, data.length - tail);
    if (!isUtf8(body)) for (const o of invalidUtf8Offsets(body)) this.bad.push(dataStart + o);
    if (tail !== 0) this.carry = Buffer.from(data.subarray(data.length - tail));
  }

  /** At the end of the stream, `end` being its length: a character left unfinished is invalid. */
  finish(end: number): void {
    if (this.carry !== undefined) this.bad.push(end - this.carry.length);
    this.carry = undefined;
  }

  /** The first invalid offset before `end` not yet skipped, if any. */
  firstBefore(end: number): number | undefined {
    const at = this.bad[this.head];
    return at !== undefined && at < end ? at : undefined;
  }

  /** Forgets the invalid offsets before `end` (they belong to records already reported). */
  skipBefore(end: number): void {
    while (this.head < this.bad.length && (this.bad[this.head] as number) < end) this.head++;
    if (this.head > 1024 && this.head * 2 > this.bad.length) {
      this.bad = this.bad.slice(this.head);
      this.head = 0;
    }
  }
}
