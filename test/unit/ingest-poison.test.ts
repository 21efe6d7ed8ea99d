/**
 * Poison input at the pipeline: a body that is not an EventLogFile CSV fails before anything is written, whichever
 * thread normalizes; a body shorter than LogFileLength fails before its last chunk is committed; drift passes.
 */
import { Readable } from 'node:stream';
import { headerProblem } from '../../src/events/header-check';
import { LogFileFormatError } from '../../src/events/parse-log-file';
import { runIngest } from '../../src/ingest/pipeline';
import type { IngestOptions } from '../../src/ingest/types';
import type { ChunkWriter, LogFileRef, LogSink } from '../../src/sinks/types';

const FIELDS = 'EVENT_TYPE,TIMESTAMP,REQUEST_ID,USER_ID,URI';
const file: LogFileRef & { fieldNames: string } = {
  sourceId: 'acme-prod',
  orgId: '00D5j00000DgAYG',
  fileId: '0AT5j00002LqQTxGAN',
  eventType: 'URI',
  logDate: '2026-11-27T13:00:00.000Z',
  interval: 'Hourly',
  sequence: 1,
  fieldNames: FIELDS,
};

function csv(header: string[], rows: number): Buffer {
  const lines = [header.map((h) => `"${h}"`).join(',')];
  for (let i = 1; i <= rows; i++) {
    const byName: Record<string, string> = {
      EVENT_TYPE: 'URI',
      TIMESTAMP: `20261127130${String(i % 60).padStart(2, '0')}0.000`,
      REQUEST_ID: `TID${i}`,
      USER_ID: '0055j00000AT1',
      URI: `/r/${i}`,
      NEW_COLUMN: `n${i}`,
    };
    lines.push(header.map((h) => `"${byName[h] ?? ''}"`).join(','));
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** Counts what reaches the sink: opened and committed chunks, lines written. */
function countingSink() {
  const seen = { opened: 0, committed: 0, lines: 0, completed: 0 };
  const sink: LogSink = {
    kind: 'stdout',
    async openChunk(_f, chunk): Promise<ChunkWriter> {
      seen.opened++;
      let rows = 0;
      return {
        write: () => void (rows++, seen.lines++),
        commit: async () => (seen.committed++, { chunk, rows, bytes: 0 }),
        abort: async () => undefined,
      };
    },
    completeFile: async () => void seen.completed++,
    describe: () => 'counting',
    close: async () => undefined,
  };
  return { sink, seen };
}

function options(body: Buffer, sink: LogSink, over: Partial<IngestOptions> = {}): IngestOptions {
  return {
    open: async () => Readable.from([body.subarray(0, 7), body.subarray(7)]),
    file,
    context: { sourceLabel: 'Acme', parseTime: '2026-11-27T19:00:00.000Z' },
    sink,
    chunkRows: 1000,
    ...over,
  };
}

describe('poison input in the pipeline', () => {
  const HTML = Buffer.from('<!DOCTYPE html>\n<html><body>Down for maintenance</body></html>\n'.repeat(50));
  const BINARY = Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 151 + 7) % 256));

  it.each([
    ['an HTML page', HTML, /not an EventLogFile header \(no EVENT_TYPE column\): \["<!DOCTYPE html>"\]/],
    ['binary', BINARY, /EventLogFile 0AT5j00002LqQTxGAN \(URI\): /],
    ['a header without EVENT_TYPE', csv(['TIMESTAMP', 'REQUEST_ID'], 5), /no EVENT_TYPE column/],
    [
      'a header sharing almost nothing with LogFileFieldNames',
      csv(['EVENT_TYPE', 'A', 'B', 'C', 'D'], 5),
      /shares 1 of the 5 columns of its LogFileFieldNames/,
    ],
  ])('%s fails the file with nothing written, in either thread', async (_name, body, reason) => {
    for (const offload of ['never', 'always'] as const) {
      const { sink, seen } = countingSink();
      const err = await runIngest(options(body, sink, { offload })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LogFileFormatError);
      expect((err as Error).message).toMatch(reason);
      expect(seen).toEqual({ opened: 0, committed: 0, lines: 0, completed: 0 });
    }
  });

  it('a body shorter than LogFileLength fails before its last chunk is committed', async () => {
    const body = csv(FIELDS.split(','), 250);
    const { sink, seen } = countingSink();
    const cut = body.subarray(0, body.lastIndexOf('\n', body.length - 2) + 1); // whole lines, one row short
    const err = await runIngest(
      options(cut, sink, { file: { ...file, logFileLength: body.length }, chunkRows: 100 }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LogFileFormatError);
    expect((err as Error).message).toBe(
      `EventLogFile ${file.fileId} (URI) is truncated: its body has ${cut.length} bytes, its LogFileLength says ${body.length}`,
    );
    // The two full chunks were committed as they filled; the last one never was, and the file is not complete.
    expect({ committed: seen.committed, completed: seen.completed }).toEqual({ committed: 2, completed: 0 });
  });

  it('the whole body, and drift (columns reordered and added), ingest as before', async () => {
    const body = csv(['NEW_COLUMN', ...FIELDS.split(',').reverse()], 30);
    const { sink, seen } = countingSink();
    const result = await runIngest(options(body, sink, { file: { ...file, logFileLength: body.length } }));
    expect(result.rows).toBe(30);
    expect(result.unknownColumns).toEqual(['NEW_COLUMN']);
    expect(seen).toEqual({ opened: 1, committed: 1, lines: 30, completed: 1 });
  });

  it('headerProblem accepts drift and names what is wrong otherwise', () => {
    expect(headerProblem(['URI', 'EVENT_TYPE', 'X'], 'EVENT_TYPE,URI')).toBeUndefined();
    expect(headerProblem(['EVENT_TYPE'], undefined)).toBeUndefined();
    expect(headerProblem(['a', 'b', 'c', 'd', 'e', 'f', 'g'], undefined)).toBe(
      'its first line is not an EventLogFile header (no EVENT_TYPE column): ["a","b","c","d","e", … 2 more]',
    );
  });
});
