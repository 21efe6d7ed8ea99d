import type { Transform } from 'node:stream';
import { TextEncoder } from 'node:util';
import { splitFieldList } from '../events/column-types';
import { assertEventLogFileHeader } from '../events/header-check';
import { createRowNormalizer, type RowNormalizer } from '../events/normalize';
import { unpackValues } from '../events/packed-values';
import { LogFileFormatError, LogFileParser, type PackedRecordBatch } from '../events/parse-log-file';
import { BlockBuilder, type BlockPool } from './block-builder';
import { createDecoder } from './content-encoding';
import type { FromThreadMessage, InitMessage, MalformedSample } from './offload-protocol';

/**
 * One file in a worker thread (see `offload-protocol.ts`): decodes its body, parses it, checks its header, normalizes
 * its rows and posts their event lines, all in the order the body's pieces came. What it posts is what the pipeline
 * writes when it does all of this in its own thread, byte for byte.
 */
export class ThreadFile {
  private readonly parser: LogFileParser;
  private readonly decoder: Transform | undefined;
  private readonly block: BlockBuilder;
  private normalize: RowNormalizer | undefined;
  /** Reused for every row: the normalizer does not keep the array. */
  private values: string[] = [];
  private decodedBytes = 0;
  private samples = 0;
  private failed = false;

  constructor(
    private readonly init: InitMessage,
    private readonly blocks: BlockPool,
    private readonly post: (message: FromThreadMessage) => void,
  ) {
    const { context, options } = init;
    this.parser = new LogFileParser({ fileId: context.fileId, fallbackHeader: splitFieldList(options.fieldNames) });
    this.block = new BlockBuilder(new TextEncoder(), 1024 * 1024, init.hashChunks);
    this.decoder = createDecoder(init.encoding);
    this.decoder?.on('data', (piece: Buffer) => this.guard(() => this.parse(piece)));
    this.decoder?.on('end', () => this.guard(() => this.finish()));
    this.decoder?.on('error', (err: NodeJS.ErrnoException) =>
      this.fail({ kind: 'decode', message: err.message, ...(err.code ? { code: err.code } : {}) }),
    );
  }

  /** A piece of the body as sent; answered with `consumed` once decoded. */
  write(bytes: Uint8Array): void {
    const consumed = (): void => this.post({ type: 'consumed', stream: this.init.stream });
    if (this.failed) return consumed();
    const piece = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.decoder === undefined) {
      this.guard(() => this.parse(piece));
      return consumed();
    }
    this.decoder.write(piece, consumed);
  }

  /** The body is complete. */
  end(): void {
    if (this.failed) return;
    if (this.decoder === undefined) this.guard(() => this.finish());
    else this.decoder.end();
  }

  /** The pipeline is done with the file (finished or given up). */
  close(): void {
    this.failed = true;
    this.decoder?.destroy();
  }

  private parse(piece: Buffer): void {
    this.decodedBytes += piece.length;
    this.emit(this.parser.writePacked(piece));
  }

  private finish(): void {
    this.emit(this.parser.endPacked());
    this.block.reset();
    this.block.endChunk();
    this.post({
      type: 'end',
      stream: this.init.stream,
      digests: this.block.takeDigests(),
      rows: this.parser.rows,
      decodedBytes: this.decodedBytes,
    });
  }

  /** Fails the file, before any of its rows is written, when its first line is not an EventLogFile header. */
  private start(): RowNormalizer {
    const header = this.parser.header as readonly string[];
    const { context, options } = this.init;
    assertEventLogFileHeader(this.parser, { ...context, fieldNames: options.fieldNames });
    const normalize = createRowNormalizer(context, header, options);
    this.values = new Array<string>(header.length).fill('');
    this.post({
      type: 'header',
      stream: this.init.stream,
      unknownColumns: [...normalize.unknownColumns],
      warnings: [...normalize.warnings],
    });
    return normalize;
  }

  /** Normalizes a batch and posts its lines. */
  private emit(batch: PackedRecordBatch): void {
    if (this.normalize === undefined && this.parser.header !== undefined) this.normalize = this.start();
    const { firstRow, count, malformed, malformedAt } = batch;
    const normalize = this.normalize;
    if (count === 0 || normalize === undefined) return;
    const { skipThrough, maxMalformedSamples } = this.init;
    const { text, lengths } = unpackValues(batch.values);
    const values = this.values;
    const n = values.length;
    const out = this.block;
    const samples: MalformedSample[] = [];
    out.reset();
    let pos = 0;
    let li = 0;
    let mi = 0;
    for (let row = firstRow; row < firstRow + count; row++) {
      const write = row > skipThrough;
      if (row === malformedAt[mi]) {
        const record = malformed[mi++];
        if (record === undefined) throw new Error(`batch lists row ${row} as malformed without its record`);
        if (this.samples < maxMalformedSamples) {
          this.samples++;
          samples.push({ row, error: record.error });
        }
        if (write) out.add(normalize.malformed(record, row));
        else normalize.skipMalformed(record);
        continue;
      }
      const start = pos;
      if (write) {
        for (let k = 0; k < n; k++) {
          const len = lengths[li++] as number;
          values[k] = text.substring(pos, pos + len);
          pos += len + 1;
        }
        out.add(normalize(values, row, text.substring(start, pos - 1)));
      } else {
        for (let k = 0; k < n; k++) pos += (lengths[li++] as number) + 1;
        normalize.skip(text.substring(start, pos - 1));
      }
    }
    this.parser.recycle(batch.values);
    this.post({
      type: 'result',
      stream: this.init.stream,
      block: this.blocks.copyOf(out.finish()),
      lines: out.lines,
      digests: out.takeDigests(),
      lastRow: firstRow + count - 1,
      decodedBytes: this.decodedBytes,
      malformed: malformed.length,
      malformedSamples: samples,
    });
  }

  /** Runs a step; a throw fails the file (and only it). */
  private guard(step: () => void): void {
    if (this.failed) return;
    try {
      step();
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const kind = e instanceof LogFileFormatError ? 'format' : 'internal';
      this.fail({ kind, message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
    }
  }

  private fail(error: {
    kind: 'format' | 'decode' | 'internal';
    message: string;
    code?: string;
    stack?: string;
  }): void {
    if (this.failed) return;
    this.failed = true;
    this.decoder?.destroy();
    this.post({ type: 'error', stream: this.init.stream, ...error });
  }
}
