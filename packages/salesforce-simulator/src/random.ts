/**
 * Deterministic pseudo-randomness. Every generated value of the simulated world comes from an {@link Rng} keyed by
 * the seed and the coordinates of the thing generated (event type, hour, row), so any part of the world can be
 * recomputed on demand, in any order, without storing it.
 */

/** murmur3's 32-bit finalizer: spreads every input bit over the output. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit FNV-1a hash of a string, finalized. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** Hashes a list of keys (strings or numbers, numbers up to 2^53) into 32 bits. */
export function hashKeys(keys: readonly (string | number)[]): number {
  let h = 0x9e3779b9;
  for (const k of keys) {
    if (typeof k === 'string') {
      h = mix32(h ^ hashString(k));
    } else {
      // Numbers such as epoch milliseconds exceed 32 bits: mix both halves.
      h = mix32(h ^ (k >>> 0));
      h = mix32(h ^ Math.floor(k / 4294967296));
    }
  }
  return h;
}

/** A small, fast PRNG (mulberry32). Not cryptographic. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max], both included. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A string of `length` characters drawn from `alphabet` (at most 64 characters). */
  chars(alphabet: string, length: number): string {
    // Five 6-bit digits per 32-bit draw: random ids are the hot path of row generation.
    const n = alphabet.length;
    let s = '';
    let r = 0;
    for (let i = 0; i < length; i++) {
      if (i % 5 === 0) r = this.next();
      r *= n;
      const digit = Math.floor(r);
      r -= digit;
      s += alphabet.charAt(digit);
    }
    return s;
  }
}

/** An {@link Rng} keyed by the world seed and the coordinates of what it generates. */
export function rngFor(seed: number, ...keys: (string | number)[]): Rng {
  return new Rng(hashKeys([seed, ...keys]));
}
