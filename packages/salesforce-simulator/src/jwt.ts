/** Verification of JWT bearer assertions (RS256) with node:crypto. */
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Claims the OAuth JWT bearer flow reads. */
export interface JwtClaims {
  iss?: unknown;
  sub?: unknown;
  aud?: unknown;
  exp?: unknown;
}

/** The public key in a PEM that holds either an SPKI public key or an X.509 certificate. */
export function publicKeyFromPem(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

function base64UrlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/**
 * The claims of a compact JWS signed with RS256 by the key's private half, or undefined when the token is
 * malformed, uses another algorithm, or its signature does not verify.
 */
export function verifyRs256(token: string, key: KeyObject): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  try {
    const h = base64UrlJson(header) as { alg?: unknown };
    if (h.alg !== 'RS256') return undefined;
    const ok = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'));
    if (!ok) return undefined;
    const claims = base64UrlJson(payload);
    return claims !== null && typeof claims === 'object' ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}
