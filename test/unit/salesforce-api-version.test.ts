import { chooseApiVersion, initialApiVersion } from '../../src/salesforce/api-version';
import { classifySalesforceError } from '../../src/salesforce/errors';

const listed = (...versions: string[]) => versions.map((version) => ({ version }));

describe('apiVersion auto', () => {
  it('picks the newest version the org lists that elfstream is tested with (68.0)', () => {
    expect(chooseApiVersion(listed('31.0', '62.0', '67.0', '68.0'), { soapLogin: false, min: 37 })).toBe('68.0');
    expect(chooseApiVersion(listed('31.0', '66.0'), { soapLogin: false, min: 37 })).toBe('66.0');
    expect(chooseApiVersion(listed('62.0', '68.0', '69.0', '70.0'), { soapLogin: false, min: 37 })).toBe('68.0');
    expect(chooseApiVersion(listed('31.0', '36.0'), { soapLogin: false, min: 37 })).toBeUndefined();
    expect(chooseApiVersion([], { soapLogin: false, min: 37 })).toBeUndefined();
  });

  it('stays at 64.0 for SOAP login, the last version that serves it', () => {
    expect(chooseApiVersion(listed('62.0', '64.0', '68.0'), { soapLogin: true, min: 37 })).toBe('64.0');
    expect(chooseApiVersion(listed('62.0', '63.0'), { soapLogin: true, min: 37 })).toBe('63.0');
    expect(initialApiVersion('auto', true)).toBe('64.0');
    expect(initialApiVersion('auto', false)).toBe('68.0');
    expect(initialApiVersion('61.0', false)).toBe('61.0');
  });

  it('a retired version (410 GONE) and UNSUPPORTED_API_VERSION recommend a current one', () => {
    const gone = classifySalesforceError(
      { errorCode: 'ERROR_HTTP_410', message: 'gone' },
      { status: 410, apiVersion: '30.0', operation: 'query' },
    );
    expect(gone.kind).toBe('config');
    expect(gone.message).toContain('Salesforce has retired API version 30.0 (410 GONE)');
    expect(gone.message).toContain('"auto" or a current version such as 68.0');
    const soap = classifySalesforceError(
      { errorCode: 'UNSUPPORTED_API_VERSION', message: 'Invalid Api version specified on URL' },
      { apiVersion: '30.0', operation: 'query' },
    );
    expect(soap.message).toContain('"auto" or a current version such as 68.0');
  });

  it('names the retention when a file no longer exists', () => {
    const err = classifySalesforceError(
      { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      { status: 404, operation: 'download', fileId: '0AT000000000001AAA', retentionDays: 365 },
    );
    expect(err.kind).toBe('not-found');
    expect(err.message).toContain("365 days after CreatedDate, the source's retention");
  });
});
