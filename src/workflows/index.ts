/** The workflows a worker registers (its workflowsPath / prebuilt bundle entry). */
export { salesforceSourceWorkflow } from './source';
export { eventLogFileWorkflow } from './file';
export { eventLogBackfillWorkflow } from './backfill';
export { salesforceRealtimeWorkflow } from './realtime';
