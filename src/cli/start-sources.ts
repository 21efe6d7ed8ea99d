/** Starting source workflows, shared by `start` and `dev`: idempotent, so running either twice is harmless. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ElfstreamConfig, SourceConfig } from '../config/types';
import { sourceWorkflowId } from '../workflows/ids';
import type { salesforceSourceWorkflow } from '../workflows';
import type { SourceState } from '../workflows/source-state';
import { SOURCE_ID } from '../workflows/search-attributes';
import { describeSource } from './source-workflow';

/** What `start` did for one source. */
export interface StartOutcome {
  sourceId: string;
  workflowId: string;
  runId: string;
  /** True when the workflow was running already and was left as it is. */
  alreadyRunning: boolean;
}

/** Temporal caps a static summary at 200 bytes. */
const SUMMARY_MAX_BYTES = 200;

/**
 * Starts the source's workflow unless it runs already. `USE_EXISTING` makes the start itself idempotent (two
 * concurrent starts cannot make two runs); the describe before it only tells the user which of the two happened.
 */
export async function startSource(
  client: Client,
  config: ElfstreamConfig,
  source: SourceConfig,
): Promise<StartOutcome> {
  const workflowId = sourceWorkflowId(source.id);
  const before = await describeSource(client, source.id);
  // A source stopped with `stop` ended with its state (checkpoint, ledger, totals) as result: carry on from there.
  const state = before.running ? undefined : await stoppedState(client, workflowId);
  const handle = await client.workflow.start<typeof salesforceSourceWorkflow>('salesforceSourceWorkflow', {
    workflowId,
    taskQueue: config.temporal.taskQueue,
    args: [{ sourceId: source.id, state, schedule: source.schedule }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: staticSummary(source),
    staticDetails: staticDetails(source),
    typedSearchAttributes: [{ key: SOURCE_ID, value: source.id }],
  });
  const runId = handle.firstExecutionRunId;
  return { sourceId: source.id, workflowId, runId, alreadyRunning: before.running && before.runId === runId };
}

/** The result of the source's last run when it completed (a stopped source), else undefined. */
async function stoppedState(client: Client, workflowId: string): Promise<SourceState | undefined> {
  try {
    const handle = client.workflow.getHandle<typeof salesforceSourceWorkflow>(workflowId);
    const { status } = await handle.describe();
    return status.name === 'COMPLETED' ? await handle.result() : undefined;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** The one-line summary the Web UI lists the workflow with. */
export function staticSummary(source: SourceConfig): string {
  const text = `Salesforce Event Monitoring: ${source.label} (${source.id})`;
  if (Buffer.byteLength(text) <= SUMMARY_MAX_BYTES) return text;
  const tail = ` (${source.id})`;
  let label = source.label;
  while (label.length > 0 && Buffer.byteLength(`Salesforce Event Monitoring: ${label}…${tail}`) > SUMMARY_MAX_BYTES) {
    label = label.slice(0, -1);
  }
  return `Salesforce Event Monitoring: ${label}…${tail}`;
}

/**
 * The settings a source starts with, as Markdown for the Web UI. Only non-secret settings: the login URL and API
 * version are fine to show, credentials never are (nothing of `auth` is read here).
 */
export function staticDetails(source: SourceConfig): string {
  const types = source.eventTypes.includes('*') ? 'all (`*`)' : source.eventTypes.join(', ');
  return [
    `**${source.label}** (\`${source.id}\`)`,
    '',
    '| | |',
    '|---|---|',
    `| Event types | ${types} |`,
    `| Interval | ${source.interval} |`,
    `| Schedule | \`${source.schedule}\` (UTC) |`,
    `| Start from | ${source.startFrom} |`,
    `| Salesforce | ${source.salesforce.loginUrl} (API ${source.salesforce.apiVersion}) |`,
    '',
    'Signals: `backfill`, `pause`, `resume`, `pollNow`; query: `status`.',
  ].join('\n');
}
