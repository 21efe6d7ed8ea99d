import { generateKeyPairSync, verify } from 'node:crypto';
import { defaultJwtAudience, parseRsaPrivateKey, signJwtBearerAssertion } from '../../src/salesforce/jwt';
import { checkSalesforceConfig } from '../../src/salesforce/salesforce-config';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('JWT bearer assertion', () => {
  it('is an RS256 JWT with iss, sub, aud and exp = now + 3 min that verifies with the public key', () => {
    const now = Date.UTC(2026, 10, 27, 13, 0, 0);
    const jwt = signJwtBearerAssertion({
      clientId: 'consumer-key',
      username: 'elf-reader@acme.com',
      audience: 'https://login.salesforce.com',
      privateKey: pem,
      now,
    });
    const [h, c, s] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(c, 'base64url').toString())).toEqual({
      iss: 'consumer-key',
      sub: 'elf-reader@acme.com',
      aud: 'https://login.salesforce.com',
      exp: now / 1000 + 180,
    });
    expect(verify('RSA-SHA256', Buffer.from(`${h}.${c}`), publicKey, Buffer.from(s, 'base64url'))).toBe(true);
  });

  it('accepts keys whose line breaks arrived as literal \\n', () => {
    expect(parseRsaPrivateKey(pem.replace(/\n/g, '\\n')).asymmetricKeyType).toBe('rsa');
  });

  it('refuses a bad key without quoting it', () => {
    const bad = '-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETSTUFF\n-----END PRIVATE KEY-----';
    expect(() => parseRsaPrivateKey(bad)).toThrow(expect.objectContaining({ kind: 'config' }));
    try {
      parseRsaPrivateKey(bad);
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRETSTUFF');
    }
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => parseRsaPrivateKey(ec.toString())).toThrow(/RSA/);
  });

  it.each([
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com/', 'https://test.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme.my.site.com/customers', 'https://acme.my.site.com/customers'],
    ['http://127.0.0.1:5555', 'http://127.0.0.1:5555'],
  ])('default audience of %s is %s', (loginUrl, aud) => {
    expect(defaultJwtAudience(loginUrl)).toBe(aud);
  });
});

describe('checkSalesforceConfig', () => {
  const auth = { type: 'client-credentials' as const, clientId: 'id', clientSecret: 'secret' };

  it('normalises the login URL and version', () => {
    expect(checkSalesforceConfig({ loginUrl: 'https://acme.my.salesforce.com/', apiVersion: 'v62.0', auth })).toEqual({
      loginUrl: 'https://acme.my.salesforce.com',
      apiVersion: '62.0',
      apiVersionNumber: 62,
      auth,
    });
  });

  it.each([
    ['not a url', '62.0', /not a URL/],
    ['ftp://x', '62.0', /https/],
    ['https://x', '62', /version like/],
    ['https://x', '36.0', /37\.0/],
  ])('rejects %s / %s', (loginUrl, apiVersion, message) => {
    expect(() => checkSalesforceConfig({ loginUrl, apiVersion, auth })).toThrow(message);
  });
});
