import { splitFieldList } from '../events/column-types';
import type { MalformedRecord } from '../events/malformed-record';
import { createRowNormalizer, type NormalizeContext, type RowNormalizer } from '../events/normalize';
import { logFileRef } from '../sinks/types';
import { assertEventLogFileHeader } from '../events/header-check';
import { LogFileFormatError, LogFileParser, type RecordBatch } from '../events/parse-log-file';
import { abortable, abortError } from './abort';
import { ChunkedOutput } from './chunked-output';
import { decodedStream } from './content-encoding';
import { IngestThreads, type FileAnswer, type ThreadedFile } from './ingest-threads';
import type { EncodedBody, IngestOptions, IngestResult } from './types';

export type { EncodedBody, IngestLogger, IngestOptions, IngestProgress, IngestResult } from './types';

/** Files from this size on go to a worker thread (`offload: 'auto'`): small files are not worth a thread. */
export const DEFAULT_OFFLOAD_FROM_BYTES = 8 * 1024 * 1024;
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
 * A large file is decoded, parsed and normalized in a worker thread (see `offload`); the output is the same bytes
 * either way.
 *
 * Poison input writes nothing: the header is checked ({@link assertEventLogFileHeader}) before the first row is written, and the
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

type Destroyable = { destroy?: (err?: Error) => void };

class IngestRun {
  private readonly parser: LogFileParser;
  private readonly skipRows: number;
  private readonly controller = new AbortController();
  private readonly output: ChunkedOutput;
  private normalizer: RowNormalizer | undefined;
  /** The file in a worker thread, when it is ingested there. */
  private threaded: ThreadedFile | undefined;
  /** The streams being read (the body, and its decoder's output when decoded here): destroyed on abort. */
  private readonly streams: NodeJS.ReadableStream[] = [];
  private unknownColumns: readonly string[] = [];
  private rowsSeen = 0;
  private malformed = 0;
  private malformedLogged = 0;
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
    const onAbort = (): void => {
      controller.abort(external?.reason);
      // Destroying the source ends a pending read at once instead of after the next chunk arrives.
      for (const s of this.streams) (s as Destroyable).destroy?.(abortError(external?.reason));
    };
    external?.addEventListener('abort', onAbort, { once: true });
    try {
      external?.throwIfAborted();
      const opened = await opts.open(controller.signal);
      const body: EncodedBody =
        'encoding' in opened ? opened : { stream: opened, encoding: 'identity', decodeError: (err) => err };
      this.streams.push(body.stream);
      if (this.offloads()) await this.readInThread(body);
      else await this.readHere(body);
      this.checkLength();
      if (this.rowsSeen < this.skipRows) {
        throw new Error(
          `EventLogFile ${opts.file.fileId} has ${this.rowsSeen} rows, but ${this.skipRows} were committed before: ` +
            'the file changed since the first attempt',
        );
      }
      await this.output.finish();
      const unknownColumns = [...this.unknownColumns];
      await opts.sink.completeFile(opts.file, {
        rows: this.rowsSeen,
        chunks: this.output.committed,
        chunkCount: this.output.chunkCount,
        malformedRows: this.malformed,
        unknownColumns,
        completedAt: opts.context.parseTime,
      });
      if (this.malformed > this.maxMalformedLogs) {
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
      // Unblocks whatever still waits (sink drains, the thread's answers) and keeps any chunk from opening again.
      if (!controller.signal.aborted) controller.abort(err);
      await this.output.abort();
      for (const s of this.streams) (s as Destroyable).destroy?.();
      throw external?.aborted ? abortError(external.reason) : err;
    } finally {
      external?.removeEventListener('abort', onAbort);
      await this.threaded?.close();
    }
  }

  /** Decodes, parses and normalizes the file in this thread. */
  private async readHere(body: EncodedBody): Promise<void> {
    const signal = this.controller.signal;
    for await (const piece of this.decoded(body) as AsyncIterable<Buffer | string>) {
      signal.throwIfAborted();
      this.read(piece.length);
      const batch = this.parser.write(piece);
      this.checkHeader();
      await this.consume(batch);
    }
    signal.throwIfAborted();
    const batch = this.parser.end();
    this.checkHeader();
    await this.consume(batch);
    if (this.normalizer === undefined) this.createNormalizer(); // a header-only file still reports its new columns
  }

  /** The body's CSV bytes: decoded here when it is compressed. */
  private decoded(body: EncodedBody): NodeJS.ReadableStream {
    const input = decodedStream(body.stream, body.encoding, body.decodeError);
    if (input !== body.stream) this.streams.push(input);
    return input;
  }

  /**
   * Hands the body, as it comes, to a worker thread that decodes, parses and normalizes it, and writes the event
   * lines it answers with, in order, while reading goes on. Either side's failure stops the other.
   */
  private async readInThread(body: EncodedBody): Promise<void> {
    const { opts, controller } = this;
    const signal = controller.signal;
    const hashChunks = this.output.hashChunksFromNext();
    const file = IngestThreads.shared.open({
      context: this.normalizeContext(),
      encoding: body.encoding,
      options: { fieldNames: opts.file.fieldNames, fieldTypes: opts.file.fieldTypes },
      skipThrough: this.skipRows,
      ...(hashChunks ? { hashChunks } : {}),
      maxMalformedSamples: this.maxMalformedLogs,
    });
    this.threaded = file;
    let failure: { error: unknown } | undefined;
    const stop = (error: unknown): void => {
      failure ??= { error };
      if (!signal.aborted) controller.abort(error);
      void file.close();
      (body.stream as Destroyable).destroy?.();
    };
    const reading = (async () => {
      for await (const piece of body.stream as AsyncIterable<Buffer | string>) {
        signal.throwIfAborted();
        await file.write(typeof piece === 'string' ? Buffer.from(piece) : piece);
      }
      signal.throwIfAborted();
      file.end();
    })().catch(stop);
    const writing = this.writeAnswers(file, body).catch(stop);
    await Promise.all([reading, writing]);
    if (failure !== undefined) throw failure.error;
  }

  /** Writes what the thread answers about the file, in order, until its end. */
  private async writeAnswers(file: ThreadedFile, body: EncodedBody): Promise<void> {
    const signal = this.controller.signal;
    for (;;) {
      const answer: FileAnswer = await abortable(file.next(), signal);
      switch (answer.type) {
        case 'header':
          this.unknownColumns = answer.unknownColumns;
          this.logHeader(answer.warnings, answer.unknownColumns);
          break;
        case 'result': {
          this.malformed += answer.malformed;
          for (const { row, error } of answer.malformedSamples) this.logMalformed(row, error);
          this.rowsSeen = answer.lastRow;
          this.read(answer.decodedBytes - this.bytesRead);
          this.output.addDigests(answer.digests);
          if (answer.lines > 0) {
            const { block } = answer;
            await this.output.writeBlock(Buffer.from(block.buffer, block.byteOffset, block.byteLength), answer.lines);
            file.recycle(block);
          }
          break;
        }
        case 'end':
          this.output.addDigests(answer.digests);
          this.rowsSeen = answer.rows;
          this.read(answer.decodedBytes - this.bytesRead);
          return;
        case 'error':
          throw this.threadError(answer, body);
      }
    }
  }

  private threadError(answer: Extract<FileAnswer, { type: 'error' }>, body: EncodedBody): Error {
    if (answer.kind === 'format') return new LogFileFormatError(answer.message);
    if (answer.kind === 'decode')
      return body.decodeError(Object.assign(new Error(answer.message), { code: answer.code }));
    return Object.assign(new Error(`ingest thread: ${answer.message}`), { stack: answer.stack });
  }

  /** Counts decoded bytes read and reports the total. */
  private read(bytes: number): void {
    if (bytes === 0) return;
    this.bytesRead += bytes;
    this.opts.onBytesRead?.(this.bytesRead);
  }

  /** Fails the file, before any of its rows is written, when its first line is not an EventLogFile header. */
  private checkHeader(): void {
    if (this.headerChecked || this.parser.header === undefined) return;
    this.headerChecked = true;
    assertEventLogFileHeader(this.parser, this.opts.file);
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

  /** Normalizes and writes one batch of records (the records of one input chunk) in this thread. */
  private async consume(batch: RecordBatch): Promise<void> {
    const { records, firstRow } = batch;
    if (records.length === 0) return;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (!Array.isArray(r)) {
        this.malformed++;
        this.logMalformed(firstRow + i, (r as MalformedRecord).error);
      }
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

  /** Whether the file goes to a worker thread (see `IngestOptions.offload`). */
  private offloads(): boolean {
    const mode = this.opts.offload ?? 'auto';
    if (mode !== 'auto') return mode === 'always';
    const length = this.opts.file.logFileLength;
    const from = this.opts.offloadFromBytes ?? DEFAULT_OFFLOAD_FROM_BYTES;
    return IngestThreads.shared.available && (length === undefined || length >= from);
  }

  private normalizeContext(): NormalizeContext {
    const { file, context } = this.opts;
    return { ...logFileRef(file), sourceLabel: context.sourceLabel, parseTime: context.parseTime };
  }

  /** Built once, from the header line; undefined for an empty file (no header). */
  private createNormalizer(): RowNormalizer | undefined {
    const header = this.parser.header;
    if (header === undefined) return undefined;
    const { file } = this.opts;
    this.normalizer = createRowNormalizer(this.normalizeContext(), header, {
      fieldNames: file.fieldNames,
      fieldTypes: file.fieldTypes,
    });
    this.unknownColumns = this.normalizer.unknownColumns;
    this.logHeader(this.normalizer.warnings, this.normalizer.unknownColumns);
    return this.normalizer;
  }

  private logHeader(warnings: readonly string[], unknownColumns: readonly string[]): void {
    const { file, logger } = this.opts;
    for (const warning of warnings) logger?.warn(warning, { fileId: file.fileId });
    if (unknownColumns.length > 0) {
      logger?.warn('new columns in EventLogFile, kept as strings', {
        fileId: file.fileId,
        eventType: file.eventType,
        columns: unknownColumns,
      });
    }
  }

  private get maxMalformedLogs(): number {
    return this.opts.maxMalformedLogs ?? DEFAULT_MAX_MALFORMED_LOGS;
  }

  private logMalformed(row: number, error: string): void {
    if (this.malformedLogged >= this.maxMalformedLogs) return;
    this.malformedLogged++;
    this.opts.logger?.warn('malformed row in EventLogFile, emitted with p_parse_error', {
      fileId: this.opts.file.fileId,
      row,
      error,
    });
  }
}
