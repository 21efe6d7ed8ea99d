/**
 * Modules that only some commands need, loaded when a command asks for them: the worker SDK's native core, the
 * bundler, jsforce and the simulator cost most of a second to load, which `status` or `pause` should not pay.
 *
 * They are loaded with `require`, not `import()`: run from the TypeScript sources (tsx's CommonJS hook, as
 * bin/elfstream.js and the tests do), `import()` goes through Node's ESM resolver, which cannot resolve the
 * extensionless paths of TypeScript files; compiled, both are the same `require`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { CliError, ExitCode } from './exit-codes';
import type * as SalesforceClientModule from '../salesforce/client';
import type * as SimulatorModule from '@elfstream/salesforce-simulator';
import type * as SinksModule from '../sinks';
import type * as ConnectionModule from '../temporal/connection';
import type * as WorkerConnectionModule from '../temporal/worker-connection';
import type * as DevServerModule from '../temporal/dev-server';
import type * as RuntimeModule from '../temporal/runtime';
import type * as WorkerModule from '../worker';

export const temporalConnection = (): typeof ConnectionModule => require('../temporal/connection');
/** `connectWorker` (loads `@temporalio/worker`). */
export const workerConnection = (): typeof WorkerConnectionModule => require('../temporal/worker-connection');
export const temporalRuntime = (): typeof RuntimeModule => require('../temporal/runtime');
export const devServer = (): typeof DevServerModule => require('../temporal/dev-server');
export const elfstreamWorker = (): typeof WorkerModule => require('../worker');
export const sinks = (): typeof SinksModule => require('../sinks');
export const salesforceClient = (): typeof SalesforceClientModule => require('../salesforce/client');
/**
 * The Salesforce simulator, a development package: present in a checkout (`npm ci`), absent from a production
 * install (`npm ci --omit=dev`, the worker image), where `dev` and `sim` say so instead of failing on a stack trace.
 */
export const simulator = (): typeof SimulatorModule => {
  try {
    return require('@elfstream/salesforce-simulator');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String(err).includes('salesforce-simulator'))
      throw err;
    throw new CliError(
      'The Salesforce simulator is not installed: it is a development package (packages/salesforce-simulator), ' +
        'installed by `npm ci` in a checkout, not by a production install. Run the demo from a checkout.',
      ExitCode.usage,
    );
  }
};
