import type { ActivityDeps } from './deps';
import { makeFileWorkflowState } from './file-state';
import { makeIngestEventLogFile } from './ingest';
import { makeListBackfillFiles, makeListEventLogFiles } from './list';
import { makeLogin } from './login';
import { makeReadRealtimeObject, makeRealtimeLogin } from './realtime';
import type { ElfstreamActivities } from './types';

export type { ActivityDeps } from './deps';

/** The worker's activities, built from injected dependencies (the worker's config, Salesforce clients, sink). */
export function createActivities(deps: ActivityDeps): ElfstreamActivities {
  return {
    login: makeLogin(deps),
    listEventLogFiles: makeListEventLogFiles(deps),
    listBackfillFiles: makeListBackfillFiles(deps),
    ingestEventLogFile: makeIngestEventLogFile(deps),
    fileWorkflowState: makeFileWorkflowState(deps),
    realtimeLogin: makeRealtimeLogin(deps),
    readRealtimeObject: makeReadRealtimeObject(deps),
  };
}
