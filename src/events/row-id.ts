import crypto from 'node:crypto';

/**
 * Rows remembered for counting identical rows. Identical rows in ELF share a TIMESTAMP (milliseconds) and request,
 * and files are written in time order, so duplicates sit next to each other: a window of recent rows finds them
 * while memory stays flat however large the file is (about 0.6 MB at this size).
 */
export const DEFAULT_OCCURRENCE_WINDOW = 10_000;

type Sha256Hex = (data: string) => string;
// crypto.hash (Node >= 20.12) avoids a Hash object per row; fall back for older 20.x.
const oneShot = (crypto as { hash?: (alg: string, data: string, enc: 'hex') => string }).hash;
const sha256Hex: Sha256Hex =
  oneShot !== undefined
    ? (data) => oneShot('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

const EMPTY = -1;

/** A sha256 digest as 32-bit words. */
const DIGEST_WORDS = 8;

/**
 * Deterministic `p_row_id`s for the rows of one file, in file order.
 *
 * The id is derived from the org, the event type, the row's raw values and the row's occurrence among identical
 * rows: the first occurrence gets `hex(sha256(orgId \0 eventType \0 v1 \0 … \0 vn))[0, 32)`, the k-th repeat
 * (k >= 1) `hex(sha256(<that full 64-char digest> \0 k))[0, 32)`. So re-ingesting a file yields the same ids, and
 * the same row in another file of the same org and type (a late hourly Sequence file) gets the same id, which lets
 * any destination drop duplicates.
 *
 * Occurrences are counted within a bounded window: a row is a repeat if an identical row was seen within the last
 * `windowRows` rows (chained, so a long run of identical rows keeps counting). Two identical rows farther apart
 * than the window would share an id; in ELF they cannot be identical (their TIMESTAMPs differ).
 *
 * The window is an open-addressing table over typed arrays rather than a `Map`: with one insert and one eviction
 * per row, a Map of 10 000 string keys cost more than the hash itself. Its digests are words in a typed array, not
 * strings: a string per row that lives for a window outlives the young generation, and on a large file those
 * strings were most of what the old generation collected.
 */
export class RowIdGenerator {
  private readonly prefix: string;
  private readonly windowRows: number;
  /** Digest of the row at each position of the window (seq % windowRows), as words at `position * DIGEST_WORDS`. */
  private readonly ringDigest: Int32Array;
  /** Its occurrence number, or -1 once a later identical row took over. */
  private readonly ringOccurrence: Int32Array;
  /** Hash table: seq of the latest row with that digest, or EMPTY. Stale seqs (outside the window) are skipped. */
  private table: Int32Array;
  private readonly mask: number;
  private seq = 0;
  private nextRebuild: number;
  /** The current row's digest as words (scratch). */
  private readonly words = new Int32Array(DIGEST_WORDS);

  constructor(orgId: string, eventType: string, windowRows: number = DEFAULT_OCCURRENCE_WINDOW) {
    if (!Number.isInteger(windowRows) || windowRows < 1) throw new RangeError('windowRows must be a positive integer');
    this.prefix = orgId + '\0' + eventType + '\0';
    this.windowRows = windowRows;
    this.ringDigest = new Int32Array(windowRows * DIGEST_WORDS);
    this.ringOccurrence = new Int32Array(windowRows);
    // At least 4x the window: between rebuilds at most 2 windows' worth of slots are in use.
    let size = 1024;
    while (size < windowRows * 4) size *= 2;
    this.table = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    this.nextRebuild = windowRows;
  }

  /** The id of the next row, given its raw CSV values in header order. */
  forValues(values: readonly string[]): string {
    return this.forContent(values.join('\0'));
  }

  /** Same as {@link forValues} with the values already joined by `\0`. */
  forJoined(joined: string): string {
    return this.forContent(joined);
  }

  /** The id of the next row when it is malformed: derived from its raw text instead of its values. */
  forRaw(raw: string): string {
    // \u0001 keeps raw text from ever hashing like a one-column row with the same text.
    return this.forContent('\u0001' + raw);
  }

  private forContent(content: string): string {
    const digest = sha256Hex(this.prefix + content);
    const words = this.words;
    for (let w = 0; w < DIGEST_WORDS; w++) words[w] = hexWord(digest, w * 8);
    const ring = this.ringDigest;
    const seq = this.seq++;
    if (seq === this.nextRebuild) this.rebuild(seq);
    // Live: the previous windowRows rows (seq - windowRows … seq - 1). The ring slot of the oldest one is the
    // slot this row is about to take, which is why the slot is overwritten only after the lookup.
    const oldest = seq - this.windowRows - 1;
    const table = this.table;
    const mask = this.mask;
    let i = ((words[0] as number) >>> 4) & mask;
    let free = -1;
    let occurrence = 0;
    for (;;) {
      const s = table[i] as number;
      if (s === EMPTY) break;
      if (s > oldest) {
        const at = s % this.windowRows;
        if (sameDigest(ring, at * DIGEST_WORDS, words)) {
          occurrence = (this.ringOccurrence[at] as number) + 1;
          this.ringOccurrence[at] = -1;
          free = i;
          break;
        }
      } else if (free < 0) free = i;
      i = (i + 1) & mask;
    }
    table[free < 0 ? i : free] = seq;
    const slot = seq % this.windowRows;
    ring.set(words, slot * DIGEST_WORDS);
    this.ringOccurrence[slot] = occurrence;
    return occurrence === 0 ? digest.slice(0, 32) : sha256Hex(digest + '\0' + occurrence).slice(0, 32);
  }

  /** Every window, re-inserts the live rows only, so stale slots never make probe chains long. */
  private rebuild(seq: number): void {
    this.nextRebuild = seq + this.windowRows;
    const table = this.table.fill(EMPTY);
    const mask = this.mask;
    for (let s = Math.max(0, seq - this.windowRows); s < seq; s++) {
      const at = s % this.windowRows;
      if ((this.ringOccurrence[at] as number) < 0) continue; // superseded by a later identical row
      let i = ((this.ringDigest[at * DIGEST_WORDS] as number) >>> 4) & mask;
      while (table[i] !== EMPTY) i = (i + 1) & mask;
      table[i] = s;
    }
  }
}

/** The 32-bit word of a lowercase hex digest starting at character `from`. */
function hexWord(hex: string, from: number): number {
  let h = 0;
  for (let k = from; k < from + 8; k++) {
    const c = hex.charCodeAt(k);
    h = (h << 4) | (c <= 57 ? c - 48 : c - 87);
  }
  return h;
}

function sameDigest(ring: Int32Array, at: number, words: Int32Array): boolean {
  for (let w = 0; w < DIGEST_WORDS; w++) if (ring[at + w] !== words[w]) return false;
  return true;
}
