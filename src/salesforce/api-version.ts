/**
 * Which REST/SOAP API version a session speaks. `apiVersion: auto` picks the highest version that both the org
 * serves (`GET /services/data`, which needs no session) and elfstream is tested with; an explicit version wins.
 *
 * Salesforce's version policy (https://developer.salesforce.com/docs/atlas.en-us.securityImplGuide.meta/
 * securityImplGuide/api_rest_eol.htm, "API End-of-Life Policy"): 31.0 and later are served (31.0-40.0 until
 * Summer '28); retired versions answer REST `410 GONE` and SOAP `UNSUPPORTED_API_VERSION`. Winter '27 is 68.0.
 */

/** The highest API version elfstream is tested with (Winter '27). */
export const TESTED_API_VERSION = 68;

/**
 * SOAP `login()` is not served from API 65.0 ("Platform SOAP API login() Retirement",
 * https://help.salesforce.com/s/articleView?id=005132110): password auth speaks at most 64.0.
 */
export const SOAP_LOGIN_LAST_VERSION = 64;

/** One entry of `GET /services/data`. */
export interface OrgApiVersion {
  version: string;
  label?: string;
  url?: string;
}

/** `62.0` → 62 (only whole `NN.0` versions; anything else is NaN). */
export function versionNumber(text: string): number {
  return /^\d{2,3}\.0$/.test(text) ? Number(text) : Number.NaN;
}

/** `68` → `68.0`. */
export function versionText(major: number): string {
  return `${major}.0`;
}

/** The version a session starts with before the org has said which it serves. */
export function initialApiVersion(configured: string, soapLogin: boolean): string {
  if (configured !== 'auto') return configured;
  return versionText(soapLogin ? SOAP_LOGIN_LAST_VERSION : TESTED_API_VERSION);
}

/**
 * The highest version the org lists that is at most elfstream's tested version (and at most 64.0 for SOAP login).
 * Undefined when the org lists none in range (an org older than elfstream's oldest supported version).
 */
export function chooseApiVersion(
  orgVersions: readonly OrgApiVersion[],
  opts: { soapLogin: boolean; min: number },
): string | undefined {
  const cap = opts.soapLogin ? SOAP_LOGIN_LAST_VERSION : TESTED_API_VERSION;
  const usable = orgVersions
    .map((v) => versionNumber(String(v.version)))
    .filter((n) => Number.isFinite(n) && n >= opts.min && n <= cap);
  return usable.length === 0 ? undefined : versionText(Math.max(...usable));
}
