/**
 * The HTTP proxy for Salesforce requests. jsforce (the SOAP login) takes it from the environment; the requests
 * elfstream makes itself (token requests, REST calls, LogFile downloads) must take the same one, or a proxied
 * worker would log in where it cannot list or download.
 */
import type http from 'node:http';
import createHttpsProxyAgent from 'https-proxy-agent';

/**
 * The proxy URL jsforce uses: the first of `https_proxy`, `http_proxy`, `HTTPS_PROXY`, `HTTP_PROXY` that is set
 * (an empty value means no proxy). jsforce tunnels every request through it with CONNECT and ignores `NO_PROXY`.
 * The URL may carry credentials: never log it.
 */
export function salesforceProxyUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.https_proxy ?? env.http_proxy ?? env.HTTPS_PROXY ?? env.HTTP_PROXY;
  return url ? url : undefined;
}

/** An agent that tunnels requests (to http and https targets alike) through the proxy with CONNECT. */
export function proxyAgent(proxyUrl: string): http.Agent {
  return createHttpsProxyAgent(proxyUrl) as unknown as http.Agent;
}
