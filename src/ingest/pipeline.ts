import { splitFieldList } from '../events/column-types';
import type { MalformedRecord } from '../events/malformed-record';
import { createRowNormalizer, type NormalizeContext, type RowNormalizer } from '../events/normalize';
import { logFileRef } from '../sinks/types';
import { headerProblem } from '../events/header-check';
import { LogFileFormatError, LogFileParser, type PackedRecordBatch, type RecordBatch } from '../events/parse-log-file';
import { abortable, abortError } from './abort';
import { ChunkedOutput } from './chunked-output';
import { NormalizeWorkers, type NormalizeStream } from './normalize-workers';
import type { ResultMessage } from './offload-protocol';
import { OrderedWrites } from './ordered-writes';
import type { IngestOptions, IngestResult } from './types';

export type { IngestLogger, IngestOptions, IngestProgress, IngestResult } from './types';

/** Input read before normalizing moves to a worker thread (`offload: 'auto'`): small files are not worth a thread. */
export const DEFAULT_OFFLOAD_AFTER_BYTES = 8 * 1024 * 1024;
/** Batches handed to the worker and not yet written: enough to keep both threads busy, bounded in memory. */
const MAX_BATCHES_IN_FLIGHT = 16;
const DEFAULT_MAX_MALFORMED_LOGS = 20;

/**
 * Ingests one EventLogFile: bytes -> CSV records -> normalized events -> sink, in committed chunks of `chunkRows`
 * rows, streaming end to end (rows go into the open chunk as they are parsed; backpressure from the sink pauses
 * reading). After each commit `onChunkCommitted` reports progress; at the end the last partial chunk is committed
 * and `sink.completeFile` records the file as complete.
 *
 * Resuming (`resume` = the last committed chunk and the rows committed through it): the file is read again from
 * the start, the rows of committed chunks are parsed and passed through the row-id window but not normalized or
 * written, and writing continues with chunk `resume.chunk + 1`. Chunk boundaries, row numbers and row ids are
 * functions of the file alone, so an interrupted-then-resumed run writes exactly what an uninterrupted run writes.
 *
 * Rows can be normalized in a worker thread (see `offload`); the output is the same bytes either way.
 *
 * Poison input writes nothing: the header is checked ({@link headerProblem}) before the first row is written, and the
 * byte count against `file.logFileLength` before the last chunk is committed. A truncated file larger than one chunk
 * has had its full chunks committed by then: the caller hands the failure to the sink's `failFile`.
 *
 * @throws the abort reason when `signal` aborts; `LogFileFormatError` when the file is not an EventLogFile CSV or is
 * truncated; sink errors.
 */
export async function runIngest(opts: IngestOptions): Promise<IngestResult> {
  if (!Number.isInteger(opts.chunkRows) || opts.chunkRows < 1) {
    throw new RangeError(`chunkRows must be a positive integer, got ${opts.chunkRows}`);
  }
  const r = opts.resume;
  if (r && !(Number.isInteger(r.chunk) && r.chunk >= 0 && Number.isInteger(r.rows) && r.rows >= 0)) {
    throw new RangeError(`invalid resume point ${JSON.stringify(r)}`);
  }
  return new IngestRun(opts).run();
}

class IngestRun {
  private readonly parser: LogFileParser;
  private readonly skipRows: number;
  private readonly controller = new AbortController();
  private readonly output: ChunkedOutput;
  private normalizer: RowNormalizer | undefined;
  private worker: NormalizeStream | undefined;
  /** Whether rows go to the worker (decided once, between two pieces of the file). */
  private offloading = false;
  private readonly offloaded = new OrderedWrites<ResultMessage>((r) => this.writeResult(r), MAX_BATCHES_IN_FLIGHT);
  private rowsSeen = 0;
  private malformed = 0;
  private bytesRead = 0;
  private headerChecked = false;

  constructor(private readonly opts: IngestOptions) {
    this.skipRows = opts.resume?.rows ?? 0;
    this.parser = new LogFileParser({ fileId: opts.file.fileId, fallbackHeader: splitFieldList(opts.file.fieldNames) });
    this.output = new ChunkedOutput(
      opts.sink,
      opts.file,
      opts.chunkRows,
      opts.resume ? opts.resume.chunk + 1 : 0,
      this.skipRows,
      opts.onChunkCommitted,
      this.controller.signal,
    );
  }

  async run(): Promise<IngestResult> {
    const { opts, controller } = this;
    const external = opts.signal;
    let stream: NodeJS.ReadableStream | undefined;
    const onAbort = (): void => {
      controller.abort(external?.reason);
      // Destroying the source ends a pending read at once instead of after the next chunk arrives.
      (stream as { destroy?: (err?: Error) => void } | undefined)?.destroy?.(abortError(external?.reason));
    };
    external?.addEventListener('abort', onAbort, { once: true });
    try {
      external?.throwIfAborted();
      stream = await opts.open(controller.signal);
      for await (const piece of stream as AsyncIterable<Buffer | string>) {
        controller.signal.throwIfAborted();
        this.bytesRead += piece.length;
        if (!this.offloading && this.shouldOffload()) this.beginOffload();
        if (this.offloading) {
          const batch = this.parser.writePacked(piece);
          this.checkHeader();
          await this.offload(batch);
        } else {
          const batch = this.parser.write(piece);
          this.checkHeader();
          await this.consume(batch);
        }
      }
      controller.signal.throwIfAborted();
      if (this.offloading) {
        const batch = this.parser.endPacked();
        this.checkHeader();
        await this.offload(batch);
      } else {
        const batch = this.parser.end();
        this.checkHeader();
        await this.consume(batch);
      }
      if (this.worker !== undefined) await abortable(this.offloaded.add(this.worker.end()), controller.signal);
      await abortable(this.offloaded.finish(), controller.signal);
      this.checkLength();
      if (this.rowsSeen < this.skipRows) {
        throw new Error(
          `EventLogFile ${opts.file.fileId} has ${this.rowsSeen} rows, but ${this.skipRows} were committed before: ` +
            'the file changed since the first attempt',
        );
      }
      await this.output.finish();
      const unknownColumns = [...((this.normalizer ?? this.createNormalizer())?.unknownColumns ?? [])];
      await opts.sink.completeFile(opts.file, {
        rows: this.rowsSeen,
        chunks: this.output.committed,
        chunkCount: this.output.chunkCount,
        malformedRows: this.malformed,
        unknownColumns,
        completedAt: opts.context.parseTime,
      });
      if (this.malformed > (opts.maxMalformedLogs ?? DEFAULT_MAX_MALFORMED_LOGS)) {
        opts.logger?.warn('malformed rows in EventLogFile', { fileId: opts.file.fileId, count: this.malformed });
      }
      return {
        rows: this.rowsSeen,
        chunks: this.output.chunkCount,
        malformedRows: this.malformed,
        unknownColumns,
        bytesRead: this.bytesRead,
        resumedFromChunk: opts.resume ? opts.resume.chunk + 1 : undefined,
      };
    } catch (err) {
      // Unblocks whatever still waits (sink drains, worker answers) and keeps any chunk from opening again.
      if (!controller.signal.aborted) controller.abort(err);
      await this.output.abort();
      (stream as { destroy?: () => void } | undefined)?.destroy?.();
      throw external?.aborted ? abortError(external.reason) : err;
    } finally {
      external?.removeEventListener('abort', onAbort);
      await this.worker?.close();
    }
  }

  /** Fails the file, before any of its rows is written, when its first line is not an EventLogFile header. */
  private checkHeader(): void {
    if (this.headerChecked || this.parser.header === undefined) return;
    this.headerChecked = true;
    const { fileId, eventType, fieldNames } = this.opts.file;
    const problem = this.parser.headerIsFallback
      ? 'its first line cannot be parsed as a CSV header'
      : headerProblem(this.parser.header, fieldNames);
    if (problem !== undefined) throw new LogFileFormatError(`EventLogFile ${fileId} (${eventType}): ${problem}`);
  }

  /** Fails a body shorter than the LogFileLength Salesforce lists (a file cut short where it is stored). */
  private checkLength(): void {
    const { fileId, eventType, logFileLength } = this.opts.file;
    if (logFileLength === undefined || this.bytesRead >= logFileLength) return;
    throw new LogFileFormatError(
      `EventLogFile ${fileId} (${eventType}) is truncated: its body has ${this.bytesRead} bytes, its LogFileLength ` +
        `says ${logFileLength}`,
    );
  }

  /** From the next piece of the file on, rows go to a worker thread: opened now when the header is known. */
  private beginOffload(): void {
    this.offloading = true;
    if (this.parser.header !== undefined) this.worker = this.startWorker();
  }

  /** Hands one batch of packed records (the records of one input chunk) to the normalize worker. */
  private async offload(batch: PackedRecordBatch): Promise<void> {
    const { firstRow, count, malformed, malformedAt } = batch;
    if (count === 0) return;
    for (let i = 0; i < malformed.length; i++)
      this.onMalformed(malformed[i] as MalformedRecord, malformedAt[i] as number);
    this.rowsSeen = firstRow + count - 1;
    this.worker ??= this.startWorker();
    const result = this.worker.submit({ type: 'batch', ...batch, skipThrough: this.skipRows });
    // The values come back with the answer: their buffers serve the next batches (a failure is the write's to report).
    result.then(
      (r) => r.spent !== undefined && this.parser.recycle(r.spent),
      () => undefined,
    );
    return abortable(this.offloaded.add(result), this.controller.signal);
  }

  /**
   * Started once the header is known and everything parsed so far is written in this thread: the normalizer's row-id
   * window is where the worker starts. The worker hashes the chunks that start after it does.
   */
  private startWorker(): NormalizeStream {
    const hashChunks = this.output.hashChunksFromNext();
    return NormalizeWorkers.shared.open({
      context: this.normalizeContext(),
      header: this.parser.header as readonly string[],
      options: { fieldNames: this.opts.file.fieldNames, fieldTypes: this.opts.file.fieldTypes },
      rowIdState: (this.normalizer ?? (this.createNormalizer() as RowNormalizer)).exportRowIdState(),
      ...(hashChunks ? { hashChunks } : {}),
    });
  }

  /** Normalizes and writes one batch of records (the records of one input chunk) in this thread. */
  private async consume(batch: RecordBatch): Promise<void> {
    const { records, firstRow } = batch;
    if (records.length === 0) return;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (!Array.isArray(r)) this.onMalformed(r as MalformedRecord, firstRow + i);
    }
    this.rowsSeen = firstRow + records.length - 1;
    const normalize = this.normalizer ?? (this.createNormalizer() as RowNormalizer);
    const signal = this.controller.signal;
    const output = this.output;
    let row = firstRow;
    for (let i = 0; i < records.length; i++, row++) {
      const record = records[i] as string[] | MalformedRecord;
      const valid = Array.isArray(record);
      if (row <= this.skipRows) {
        if (valid) normalize.skip(record);
        else normalize.skipMalformed(record);
        continue;
      }
      const pending = output.writeLine(valid ? normalize(record, row) : normalize.malformed(record, row));
      if (pending !== undefined) await pending;
      if ((row & 1023) === 0) signal.throwIfAborted();
    }
  }

  /** Writes one batch of event lines normalized by the worker. */
  private async writeResult(result: ResultMessage): Promise<void> {
    this.output.addDigests(result.digests);
    if (result.lines === 0) return;
    const { buffer, byteOffset, byteLength } = result.block;
    await this.output.writeBlock(Buffer.from(buffer, byteOffset, byteLength), result.lines);
  }

  private shouldOffload(): boolean {
    const mode = this.opts.offload ?? 'auto';
    if (mode === 'auto') {
      return (
        this.bytesRead >= (this.opts.offloadAfterBytes ?? DEFAULT_OFFLOAD_AFTER_BYTES) &&
        NormalizeWorkers.shared.available
      );
    }
    return mode === 'always';
  }

  private normalizeContext(): NormalizeContext {
    const { file, context } = this.opts;
    return { ...logFileRef(file), sourceLabel: context.sourceLabel, parseTime: context.parseTime };
  }

  /** Built once, from the header line; undefined for an empty file (no header). */
  private createNormalizer(): RowNormalizer | undefined {
    const header = this.parser.header;
    if (header === undefined) return undefined;
    const { file, logger } = this.opts;
    this.normalizer = createRowNormalizer(this.normalizeContext(), header, {
      fieldNames: file.fieldNames,
      fieldTypes: file.fieldTypes,
    });
    for (const warning of this.normalizer.warnings) logger?.warn(warning, { fileId: file.fileId });
    if (this.normalizer.unknownColumns.length > 0) {
      logger?.warn('new columns in EventLogFile, kept as strings', {
        fileId: file.fileId,
        eventType: file.eventType,
        columns: this.normalizer.unknownColumns,
      });
    }
    return this.normalizer;
  }

  private onMalformed(record: MalformedRecord, row: number): void {
    this.malformed++;
    if (this.malformed <= (this.opts.maxMalformedLogs ?? DEFAULT_MAX_MALFORMED_LOGS)) {
      this.opts.logger?.warn('malformed row in EventLogFile, emitted with p_parse_error', {
        fileId: this.opts.file.fileId,
        row,
        error: record.error,
      });
    }
  }
}
