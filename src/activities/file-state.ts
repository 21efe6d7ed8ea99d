import { WorkflowNotFoundError } from '@temporalio/client';
import { SOURCE_ID } from '../workflows/search-attributes';
import type { ActivityDeps } from './deps';
import type { FileWorkflowState, FileWorkflowStateInput } from './types';

/**
 * Whether a file's ledger workflow (started by another cycle or a backfill) completed, runs, or failed. With
 * `sourceId`, a workflow another source started counts as `not-found` (an org-scoped ledger entry is shared).
 */
export function makeFileWorkflowState(deps: ActivityDeps) {
  return async function fileWorkflowState(input: FileWorkflowStateInput): Promise<FileWorkflowState> {
    try {
      const { status, typedSearchAttributes } = await deps.temporal.workflow.getHandle(input.workflowId).describe();
      if (input.sourceId !== undefined && typedSearchAttributes.get(SOURCE_ID) !== input.sourceId) return 'not-found';
      if (status.name === 'COMPLETED') return 'completed';
      if (status.name === 'RUNNING') return 'running';
      return 'failed';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'not-found';
      throw err;
    }
  };
}
