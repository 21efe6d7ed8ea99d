import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { runIngest } from '../ingest/pipeline';
import type { ActivityDeps } from './deps';
import { findSource } from './deps';
import { toActivityFailure } from './failures';
import { recordApiUsage, recordFileIngested } from './metrics';
import type { IngestInput, IngestProgress, IngestResult } from './types';
import { FailureTypes } from './types';

/** Heartbeats between commits too, so a slow download of a big chunk is not taken for a dead worker. */
const LIVENESS_HEARTBEAT_MS = 5_000;

/**
 * Streams one EventLogFile from Salesforce into the sink in committed chunks. Heartbeats the last committed chunk;
 * a retry (after a crash, a reset, a timeout) resumes after it, so the output equals an uninterrupted run.
 */
export function makeIngestEventLogFile(deps: ActivityDeps) {
  return async function ingestEventLogFile(input: IngestInput): Promise<IngestResult> {
    const ctx = Context.current();
    const source = findSource(deps.config, input.sourceId);
    const client = deps.salesforce(source);
    const { file } = input;
    const ref = {
      sourceId: input.sourceId,
      orgId: input.orgId,
      fileId: file.id,
      eventType: file.eventType,
      logDate: file.logDate,
      interval: file.interval,
      sequence: file.sequence,
    };
    const resume = validProgress(ctx.info.heartbeatDetails);
    let committed: IngestProgress | undefined = resume;
    let bytesRead = 0;
    const beat = (): void =>
      ctx.heartbeat({ ...(committed ?? { chunk: -1, rows: 0 }), bytesRead, bytesTotal: file.logFileLength });
    const timer = setInterval(beat, LIVENESS_HEARTBEAT_MS);
    try {
      client.assertApiBudget(source.apiReserve);
      const layout = await client.getFieldLayout(file.id);
      if (resume)
        log.info('resuming after the last committed chunk', {
          fileId: file.id,
          chunk: resume.chunk,
          rows: resume.rows,
        });
      const result = await runIngest({
        // The body as sent: a large file is decoded in an ingest worker thread, not in this one.
        open: async (signal) => {
          bytesRead = 0;
          const { stream, encoding, decodeError } = await client.openLogFile(file, { signal, decode: false });
          return { stream, encoding, decodeError };
        },
        onBytesRead: (bytes) => (bytesRead = bytes),
        file: {
          ...ref,
          fieldNames: layout.fieldNames,
          fieldTypes: layout.fieldTypes,
          logFileLength: file.logFileLength,
        },
        context: { sourceLabel: source.label, parseTime: input.parseTime },
        sink: deps.sink,
        chunkRows: source.chunkRows,
        resume,
        onChunkCommitted: (p) => {
          committed = { chunk: p.chunk, rows: p.rows };
          beat();
        },
        signal: ctx.cancellationSignal,
        logger: log,
      });
      recordFileIngested(input.sourceId, file, result);
      recordApiUsage(input.sourceId, client.apiUsage());
      log.info('ingested EventLogFile', {
        fileId: file.id,
        eventType: file.eventType,
        rows: result.rows,
        chunks: result.chunks,
        malformedRows: result.malformedRows,
      });
      return { ...result, output: deps.sink.describe() };
    } catch (err) {
      const failure = toActivityFailure(err);
      if (failure instanceof ApplicationFailure && failure.type === FailureTypes.unreadableFile) {
        // Chunks committed before a truncation showed at the end are taken back where the sink can.
        await deps.sink.failFile?.(ref, failure.message);
        log.warn('EventLogFile cannot be ingested: failed for good, nothing of it written', {
          fileId: file.id,
          eventType: file.eventType,
          logDate: file.logDate,
          reason: failure.message,
        });
      }
      throw failure;
    } finally {
      clearInterval(timer);
    }
  };
}

function validProgress(details: unknown): IngestProgress | undefined {
  if (!details || typeof details !== 'object') return undefined;
  const { chunk, rows } = details as Partial<IngestProgress>;
  return typeof chunk === 'number' && typeof rows === 'number' && chunk >= 0 ? { chunk, rows } : undefined;
}
