/**
 * Salesforce record ids: 15 case-sensitive base-62 characters, plus a 3-character suffix that encodes the case of
 * the first 15 so the 18-character form survives case-insensitive systems.
 */
import type { Rng } from './random';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[0-9A-Za-z]{15}$/;
const ID18 = /^[0-9A-Za-z]{18}$/;

/** The 3-character case-encoding suffix of a 15-character id. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/** The 18-character form of a 15-character id. */
export function to18(id15: string): string {
  return id15 + idSuffix(id15);
}

/**
 * The canonical 18-character form of a 15- or 18-character id, or undefined when `s` is not a valid id (bad
 * characters, length, or an 18-character id whose suffix does not match, ignoring case as Salesforce does).
 */
export function normalizeId(s: string): string | undefined {
  if (ID15.test(s)) return to18(s);
  if (!ID18.test(s)) return undefined;
  const id15 = s.slice(0, 15);
  return idSuffix(id15) === s.slice(15).toUpperCase() ? to18(id15) : undefined;
}

/**
 * A new 18-character id: key prefix (`0AT`, `00D`, `005`…), a pod-like `5j`, `0000` and 6 random characters,
 * which is how real ids of a young org look (`0AT5j00002LqQTxGAN`).
 */
export function makeId(prefix: string, rng: Rng): string {
  return to18(prefix + '5j0000' + rng.chars(BASE62, 6));
}

/** The 15-character form of an 18-character id. */
export function to15(id18: string): string {
  return id18.slice(0, 15);
}
