/**
 * Building blocks shared by the per-event-type row generators: the simulated people, and values that carry the
 * quirks real EventLogFiles have (shortened TIMESTAMP fractions, `Salesforce.com IP`, user agents with commas,
 * quotes and line breaks, unicode user names).
 */
import { makeId, to15 } from '../ids';
import type { Rng } from '../random';
import { rngFor } from '../random';
import { isoMs } from '../time-format';

/** A user of the simulated org, as it appears in log rows. */
export interface SimUser {
  id15: string;
  id18: string;
  username: string;
  /** Login-style user type word (`Standard`, …). */
  userType: string;
}

/** The org as row generators see it. */
export interface RowOrg {
  orgId15: string;
  /** Users with ASCII names; the API user (it logs in too) comes first. */
  users: readonly SimUser[];
  /** Users with non-ASCII names. */
  unicodeUsers: readonly SimUser[];
  /** Highest API version served, e.g. `66.0`. */
  apiVersion: string;
  /** My Domain-like host of the org, used in referrer URIs. */
  domain: string;
}

/** Everything a row generator needs: a random stream for this row and the instant of the event. */
export interface RowContext {
  rng: Rng;
  timeMs: number;
  org: RowOrg;
}

/** One EventLogFile schema: ordered columns with their `LogFileFieldTypes` word, and a row generator. */
export interface EventSchema {
  columns: readonly (readonly [name: string, type: string])[];
  /** Unquoted values, one per column. */
  row(ctx: RowContext): string[];
}

type Columns = EventSchema['columns'];

/** The columns every ELF CSV starts with. */
export const HEAD_COLUMNS: Columns = [
  ['EVENT_TYPE', 'String'],
  ['TIMESTAMP', 'String'],
  ['REQUEST_ID', 'String'],
  ['ORGANIZATION_ID', 'Id'],
  ['USER_ID', 'Id'],
];

/** The columns request-style event types (Login, LoginAs, URI, API …) start with. */
export const REQUEST_COLUMNS: Columns = [
  ...HEAD_COLUMNS,
  ['RUN_TIME', 'Number'],
  ['CPU_TIME', 'Number'],
  ['URI', 'String'],
  ['SESSION_KEY', 'String'],
  ['LOGIN_KEY', 'String'],
];

const USER_NAMES: readonly (readonly [string, string])[] = [
  ['ana.silva', 'Standard'],
  ['ben.carter', 'Standard'],
  ['chloe.martin', 'Standard'],
  ['dev.patel', 'Standard'],
  ['emma.jones', 'Standard'],
  ['felix.wagner', 'Standard'],
  ['grace.kim', 'Standard'],
  ['integration.bot', 'Standard'],
  ['partner.portal', 'PowerPartner'],
  ['site.guest', 'Guest'],
  // Unicode names: parsers and sinks must keep UTF-8 intact.
  ['zoë.müller', 'Standard'],
  ['françois.dupré', 'Standard'],
  ['田中太郎', 'Standard'],
  ['김민준', 'Standard'],
];

/** The org's users, deterministic from the seed, split by ASCII and unicode names; the API user comes first. */
export function makeUsers(
  seed: number,
  apiUserId18: string,
  apiUsername: string,
): { users: SimUser[]; unicodeUsers: SimUser[] } {
  const users: SimUser[] = [
    { id15: to15(apiUserId18), id18: apiUserId18, username: apiUsername, userType: 'Standard' },
  ];
  const unicodeUsers: SimUser[] = [];
  USER_NAMES.forEach(([name, userType], i) => {
    const id18 = makeId('005', rngFor(seed, 'user', i));
    const user = { id15: to15(id18), id18, username: `${name}@acme-sim.example`, userType };
    (/^[\x20-\x7e]*$/.test(name) ? users : unicodeUsers).push(user);
  });
  return { users, unicodeUsers };
}

/** A user for this row: about one row in eight has a unicode user name. */
export function pickUser(ctx: RowContext): SimUser {
  const { users, unicodeUsers } = ctx.org;
  return ctx.rng.chance(0.125) && unicodeUsers.length > 0 ? ctx.rng.pick(unicodeUsers) : ctx.rng.pick(users);
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `4u6LyuMrDvb_G-l1cJIQk-`-style REQUEST_ID. */
export function requestId(rng: Rng): string {
  return rng.chars(B64URL, 22);
}

/** `bY5Wfv8t/Ith7WVE`-style SESSION_KEY / LOGIN_KEY. */
export function sessionKey(rng: Rng): string {
  return rng.chars(B64, 16);
}

/**
 * TIMESTAMP and TIMESTAMP_DERIVED of this row's event. About one row in twenty has no fraction in TIMESTAMP and
 * one in twenty a two-digit fraction, as real files do; TIMESTAMP_DERIVED always has milliseconds.
 */
export function timestamps(ctx: RowContext): { ts: string; derived: string } {
  const r = ctx.rng.next();
  const precision = r < 0.05 ? 0 : r < 0.1 ? 2 : 3;
  const derived = isoMs(ctx.timeMs);
  const base =
    derived.slice(0, 4) +
    derived.slice(5, 7) +
    derived.slice(8, 10) +
    derived.slice(11, 13) +
    derived.slice(14, 16) +
    derived.slice(17, 19);
  return { ts: precision === 0 ? base : `${base}.${derived.slice(20, 20 + precision)}`, derived };
}

/** CLIENT_IP: a public address, sometimes the literal `Salesforce.com IP`, rarely empty. */
export function clientIp(rng: Rng): string {
  const r = rng.next();
  if (r < 0.08) return 'Salesforce.com IP';
  if (r < 0.11) return '';
  return ipv4(rng);
}

/** A plausible public IPv4 address. */
export function ipv4(rng: Rng): string {
  return `${rng.pick([34, 52, 81, 103, 145, 185, 203])}.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`;
}

const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'SalesforceMobileSDK/11.1.0 android mobile/14 (Pixel 8) Salesforce1/248.010 Hybrid uid_3f2a',
  'Go-http-client/1.1',
  'python-requests/2.31.0',
  'jsforce/3.10.16',
];

/** BROWSER_TYPE: a user agent; a few carry quotes, a line break, or are empty, as hand-rolled clients send. */
export function userAgent(rng: Rng): string {
  const r = rng.next();
  if (r < 0.04) return 'Legacy "Connector" Client/2.1 (build 7, "stable")';
  if (r < 0.07) return 'CustomAgent/3.0\r\nX-Forwarded-Client: batch, nightly';
  if (r < 0.09) return '';
  return rng.pick(USER_AGENTS);
}

/** A whole number of milliseconds in a log-normal-ish spread: mostly small, sometimes large. */
export function duration(rng: Rng, typical: number): number {
  const u = rng.next();
  return Math.max(1, Math.round(typical * Math.exp((u - 0.7) * 3)));
}

/** A related record id (15 or 18 characters) of some common object. */
export function recordId(rng: Rng): string {
  return makeId(rng.pick(['001', '003', '006', '00Q', '500', '00O']), rng);
}
