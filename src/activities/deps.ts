import type { Client } from '@temporalio/client';
import type { ElfstreamConfig, SourceConfig } from '../config/types';
import type { SalesforceClient } from '../salesforce/client';
import type { LogSink } from '../sinks/types';
import { configFailure } from './failures';

/** What activities need from the worker process, injected so tests can hand in their own. */
export interface ActivityDeps {
  config: ElfstreamConfig;
  /** One client (one session) per source for the life of the worker process. */
  salesforce(source: SourceConfig): SalesforceClient;
  sink: LogSink;
  /** Used to look up the ledger workflows of files. */
  temporal: Client;
}

export function findSource(config: ElfstreamConfig, sourceId: string): SourceConfig {
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) {
    const known = config.sources.map((s) => s.id).join(', ') || 'none';
    throw configFailure(
      `source "${sourceId}" is not in this worker's configuration (${config.configPath} has: ${known}); ` +
        'add it there, or run the worker with the configuration that defines it',
    );
  }
  return source;
}
