import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { NormalizeContext } from '../../src/events/normalize';
import { unpackValues } from '../../src/events/packed-values';
import {
  LogFileParser,
  type LogFileParserOptions,
  type PackedRecordBatch,
  type ParsedRecord,
} from '../../src/events/parse-log-file';

/** Shared by the events, sinks and ingest tests: fixtures, a reference row id, a standard context. */

export const FIXTURES = path.resolve(__dirname, '../fixtures/csv');

export function fixture(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, name));
}

export const ORG_ID = '00D5j00000DgAYG';
export const PARSE_TIME = '2023-12-18T12:00:00.000Z';

export function contextFor(eventType: string, overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return {
    sourceId: 'acme-prod',
    sourceLabel: 'Acme Production',
    orgId: ORG_ID,
    fileId: '0AT5j00002LqQTxGAN',
    eventType,
    logDate: '2023-12-18T00:00:00.000Z',
    interval: 'Daily',
    sequence: 0,
    parseTime: PARSE_TIME,
    ...overrides,
  };
}

/** The documented p_row_id formula, computed independently of the implementation. */
export function expectedRowId(orgId: string, eventType: string, values: readonly string[], occurrence = 0): string {
  return idOf(`${orgId}\0${eventType}\0${values.join('\0')}`, occurrence);
}

/** The id of a malformed record: derived from its raw text. */
export function expectedRawRowId(orgId: string, eventType: string, raw: string, occurrence = 0): string {
  return idOf(`${orgId}\0${eventType}\0\u0001${raw}`, occurrence);
}

function idOf(content: string, occurrence: number): string {
  const digest = crypto.createHash('sha256').update(content, 'utf8').digest('hex');
  if (occurrence === 0) return digest.slice(0, 32);
  return crypto.createHash('sha256').update(`${digest}\0${occurrence}`).digest('hex').slice(0, 32);
}

export interface Parsed {
  header: readonly string[] | undefined;
  records: { row: number; record: ParsedRecord }[];
}

/**
 * Parses a whole file fed in pieces of `chunkSize` bytes (Infinity: all at once). From byte `packFrom` on, the parser
 * packs its rows (`writePacked`), as an ingest worker thread does; packed rows are unpacked
 * back into values here.
 */
export function parseAll(
  data: Buffer,
  chunkSize = Infinity,
  options: Partial<LogFileParserOptions> = {},
  packFrom = Infinity,
): Parsed {
  const parser = new LogFileParser({ fileId: 'F1', ...options });
  const records: Parsed['records'] = [];
  const take = (b: { firstRow: number; records: readonly ParsedRecord[] }): void => {
    b.records.forEach((record, i) => records.push({ row: b.firstRow + i, record }));
  };
  const takePacked = (b: PackedRecordBatch): void => {
    const { text, lengths } = unpackValues(b.values);
    const columns = parser.header?.length ?? 0;
    let pos = 0;
    let li = 0;
    let mi = 0;
    for (let row = b.firstRow; row < b.firstRow + b.count; row++) {
      if (b.malformedAt[mi] === row) {
        records.push({ row, record: b.malformed[mi++] as ParsedRecord });
        continue;
      }
      const values: string[] = [];
      for (let k = 0; k < columns; k++) {
        const len = lengths[li++] as number;
        values.push(text.slice(pos, pos + len));
        if (text[pos + len] !== '\0') throw new Error(`value ${li - 1} is not NUL-terminated`);
        pos += len + 1;
      }
      records.push({ row, record: values });
    }
    if (li !== lengths.length || pos !== text.length) throw new Error('packed values left over');
  };
  const step = Number.isFinite(chunkSize) ? chunkSize : Math.max(1, data.length);
  for (let i = 0; i < data.length; i += step) {
    const piece = data.subarray(i, i + step);
    if (i >= packFrom) takePacked(parser.writePacked(piece));
    else take(parser.write(piece));
  }
  if (packFrom <= data.length) takePacked(parser.endPacked());
  else take(parser.end());
  return { header: parser.header, records };
}
