import { setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { IngestResult } from '../activities/types';
import type { EventLogFileMeta } from '../salesforce/types';
import { INGEST_ACTIVITY_OPTIONS, ingestActivities } from './activity-options';
import { describeFile } from './file-labels';

export interface EventLogFileInput {
  sourceId: string;
  orgId: string;
  file: EventLogFileMeta;
}

/**
 * One EventLogFile, ingested once. Its workflow id (`elfstream-file-<sourceId>-<orgId>-<fileId>`; per org in older
 * runs) is the ledger entry: a completed file cannot be started again, a failed one can.
 */
export async function eventLogFileWorkflow(input: EventLogFileInput): Promise<IngestResult> {
  const { file } = input;
  // Every attempt stamps the same parse time, so a resumed ingestion writes the same bytes.
  const parseTime = workflowInfo().startTime.toISOString();
  setCurrentDetails(`Ingesting **${describeFile(file)}** for source \`${input.sourceId}\``);
  const result = await ingestActivities.ingestEventLogFile.executeWithOptions(
    { ...INGEST_ACTIVITY_OPTIONS, summary: describeFile(file) },
    [{ sourceId: input.sourceId, orgId: input.orgId, file, parseTime }],
  );
  setCurrentDetails(
    `Ingested **${describeFile(file)}**: ${result.rows} events in ${result.chunks} chunks` +
      (result.malformedRows ? `, ${result.malformedRows} malformed rows kept with p_parse_error` : '') +
      `\n\nOutput: ${result.output}`,
  );
  return result;
}
