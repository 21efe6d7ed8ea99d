/**
 * Checks of the `salesforce` block of a source that the client relies on, with messages naming the setting.
 * (The config loader validates shapes; these are the Salesforce-specific rules.)
 */
import type { SalesforceConfig } from '../config/types';
import { SalesforceError } from './errors';

/**
 * EventLogFile exists from API 32.0, but `Interval` and `Sequence` only from 37.0: below that hourly and daily
 * files cannot be told apart, and listing both would ingest every event twice.
 */
export const MIN_API_VERSION = 37;
/** SOAP `login()` is not served from API 65.0 on. */
export const SOAP_LOGIN_MAX_EXCLUSIVE_VERSION = 65;

/** A checked `salesforce` block: login URL without trailing slash, API version as a number too (none for `auto`). */
export interface CheckedSalesforceConfig extends SalesforceConfig {
  apiVersionNumber?: number;
}

/**
 * Validates and normalises the login URL and API version.
 *
 * @throws SalesforceError (config) naming the setting to fix.
 */
export function checkSalesforceConfig(config: SalesforceConfig): CheckedSalesforceConfig {
  let url: URL;
  try {
    url = new URL(config.loginUrl);
  } catch {
    throw configError(
      `salesforce.loginUrl ${JSON.stringify(config.loginUrl)} is not a URL: use https://login.salesforce.com, ` +
        'https://test.salesforce.com or your My Domain URL (https://<MyDomain>.my.salesforce.com).',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`salesforce.loginUrl must be an https:// URL, not ${url.protocol}`);
  }
  if (url.search || url.hash) throw configError('salesforce.loginUrl must not have a query string or fragment.');
  const version = config.apiVersion.trim().replace(/^v/i, '');
  if (version === 'auto') {
    return { ...config, loginUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, apiVersion: 'auto' };
  }
  if (!/^\d{2,3}\.\d$/.test(version)) {
    throw configError(
      `salesforce.apiVersion ${JSON.stringify(config.apiVersion)} is not a version like "68.0": set one, or "auto".`,
    );
  }
  const apiVersionNumber = Number(version);
  if (apiVersionNumber < MIN_API_VERSION) {
    throw configError(
      `salesforce.apiVersion ${version} is too old: elfstream needs ${MIN_API_VERSION}.0 or later (the EventLogFile ` +
        'Interval and Sequence fields, which tell hourly from daily files); "auto" picks the newest both sides support.',
    );
  }
  return {
    ...config,
    loginUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    apiVersion: version,
    apiVersionNumber,
  };
}

function configError(message: string): SalesforceError {
  return new SalesforceError({ kind: 'config', message });
}
