import { WorkflowNotFoundError } from '@temporalio/client';
import type { ActivityDeps } from './deps';
import type { FileWorkflowState } from './types';

/** Whether a file's ledger workflow (started by another cycle or a backfill) completed, runs, or failed. */
export function makeFileWorkflowState(deps: ActivityDeps) {
  return async function fileWorkflowState(input: { workflowId: string }): Promise<FileWorkflowState> {
    try {
      const { status } = await deps.temporal.workflow.getHandle(input.workflowId).describe();
      if (status.name === 'COMPLETED') return 'completed';
      if (status.name === 'RUNNING') return 'running';
      return 'failed';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'not-found';
      throw err;
    }
  };
}
