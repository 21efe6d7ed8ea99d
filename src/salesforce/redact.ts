/**
 * Scrubbing of secrets from text that may end up in a log line, an error message or workflow history.
 *
 * Salesforce and jsforce echo request material back in places we do not control (SOAP faults quote the request,
 * network errors quote URLs, jsforce's DEBUG log prints SOAP bodies), so every message built from a foreign error
 * passes through {@link redactSecrets} before it leaves this module tree.
 */

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/** Longest foreign text (a Salesforce message, a response body) quoted in one of our messages. */
const MAX_QUOTED_LENGTH = 400;

/**
 * Secret-shaped substrings, recognised even when we were not told the value: Salesforce session ids
 * (`00D…!AQ…`), bearer tokens, JWTs, PEM private keys, and `key=value` / `"key":"value"` / `<key>value</key>`
 * pairs whose key names a credential.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g,
  // A bearer credential: 8+ token characters with at least one digit or punctuation (not "bearer login").
  /\b[Bb]earer\s+(?=[A-Za-z0-9._~+/!=-]*[0-9!._~+/=-])[A-Za-z0-9._~+/!=-]{8,}/g,
  /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g,
  /<((?:\w+:)?(?:sessionId|password|securityToken))>[^<]*<\/\1>/gi,
  /((?:access_token|refresh_token|oauth_token|id_token|assertion|client_secret|password|sessionId|securityToken|token)["']?\s*[:=]\s*["']?)[^"'&\s,;}<>]+/gi,
];

/**
 * Returns `text` with every known secret value and every secret-shaped substring replaced by `[redacted]`.
 *
 * @param secrets - values to remove verbatim (password, token, client secret, private key, access token…);
 *   empty and very short values are ignored because replacing them would mangle ordinary words.
 */
export function redactSecrets(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  let out = text;
  // Longest first, so a password+token concatenation is removed before the password alone.
  const values = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
  for (const value of values) {
    for (const variant of variantsOf(value)) {
      if (variant.length >= 4) out = out.split(variant).join(REDACTED);
    }
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) && !match.startsWith('<')
        ? `${prefix}${REDACTED}`
        : REDACTED,
    );
  }
  return out;
}

/**
 * Redacts, collapses whitespace and truncates foreign text (a Salesforce message or response body) so that it can
 * be quoted inside one of our messages.
 */
export function quoteForeignText(text: string, secrets: readonly (string | null | undefined)[] = []): string {
  const flat = redactSecrets(text, secrets).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUOTED_LENGTH ? `${flat.slice(0, MAX_QUOTED_LENGTH)}…` : flat;
}

/** The forms a secret takes on the wire: as is, URL-encoded (form bodies, query strings) and XML-escaped (SOAP). */
function variantsOf(value: string): string[] {
  const xml = value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
  let form: string;
  try {
    form = encodeURIComponent(value);
  } catch {
    form = value;
  }
  return [...new Set([value, form, form.replace(/%20/g, '+'), xml])];
}
