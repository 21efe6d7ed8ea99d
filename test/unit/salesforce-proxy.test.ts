import { salesforceProxyUrl } from '../../src/salesforce/proxy';

describe('salesforceProxyUrl', () => {
  it("takes jsforce's variables in jsforce's order, and an empty value means no proxy", () => {
    expect(salesforceProxyUrl({})).toBeUndefined();
    expect(salesforceProxyUrl({ HTTP_PROXY: 'http://d:1' })).toBe('http://d:1');
    expect(salesforceProxyUrl({ HTTP_PROXY: 'http://d:1', HTTPS_PROXY: 'http://c:1' })).toBe('http://c:1');
    expect(salesforceProxyUrl({ HTTPS_PROXY: 'http://c:1', http_proxy: 'http://b:1' })).toBe('http://b:1');
    expect(salesforceProxyUrl({ http_proxy: 'http://b:1', https_proxy: 'http://a:1' })).toBe('http://a:1');
    expect(salesforceProxyUrl({ https_proxy: '', HTTPS_PROXY: 'http://c:1' })).toBeUndefined();
  });
});
