/**
 * Shared checks of the reliability suite: the simulator's ground truth compared with the file sink's output, and
 * the record of each scenario (`test-output/reliability.jsonl`) that scripts/reliability-report.ts renders into
 * RELIABILITY.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { runIngest } from '../../src/ingest/pipeline';
import type { SimFileSummary } from '@elfstream/salesforce-simulator';
import { FileSink } from '../../src/sinks';
import { currentCommit } from '../../scripts/git-commit';
import type { ScenarioRecord } from '../../scripts/reliability-report';
import { OUTPUT_DIR } from '../helpers/global-setup';
import { duplicates, readFileSinkEvents, snapshotDir, walk, type OutputEvent } from '../helpers/output';
import { HARNESS_EVENT_TYPES, type SourceHarness } from '../helpers/source-harness';

export const TYPES = HARNESS_EVENT_TYPES;
export const RELIABILITY_LOG = path.join(OUTPUT_DIR, 'reliability.jsonl');

/** What a scenario declares about itself before it runs. */
export type ScenarioMeta = Pick<ScenarioRecord, 'id' | 'scenario' | 'injected' | 'compares'>;

/**
 * A jest test that records its outcome: `fn` receives a `facts` object to fill with what it measured; pass or
 * fail (with the first line of the error) is appended to the reliability log either way.
 */
export function scenario(meta: ScenarioMeta, fn: (facts: Record<string, unknown>) => Promise<void>, timeout?: number) {
  it(
    `${meta.scenario}`,
    async () => {
      const facts: Record<string, unknown> = {};
      const started = Date.now();
      let error: unknown;
      try {
        await fn(facts);
      } catch (err) {
        error = err;
      }
      appendRecord({
        ...meta,
        result: error === undefined ? 'pass' : 'fail',
        facts,
        ...(error !== undefined ? { error: firstLine(error) } : {}),
        durationMs: Date.now() - started,
        at: new Date().toISOString(),
        commit: currentCommit(),
      });
      if (error !== undefined) throw error;
    },
    timeout,
  );
}

export function appendRecord(record: ScenarioRecord, file = RELIABILITY_LOG): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, JSON.stringify(record) + '\n');
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // jest's matcher messages carry ANSI colours.
  return text
    .replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '')
    .split('\n')
    .slice(0, 6)
    .join(' ')
    .slice(0, 500);
}

/** Ground truth: the files of `types` and `interval` the source must have ingested (CreatedDate in the range). */
export function expectedFiles(
  h: SourceHarness,
  range: { from: string; to: string },
  opts: { types?: string[]; interval?: 'Hourly' | 'Daily'; exclude?: string[] } = {},
): SimFileSummary[] {
  const types = opts.types ?? TYPES;
  const interval = opts.interval ?? 'Hourly';
  return h.sim.control
    .listFiles()
    .filter(
      (f) =>
        f.interval === interval &&
        types.includes(f.eventType) &&
        f.createdDate >= range.from &&
        f.createdDate <= range.to &&
        !(opts.exclude ?? []).includes(f.id),
    );
}

/**
 * The live range a source covers after a cycle: startFrom .. the simulated now. The settle window is measured on the
 * workflow's (real) clock, days after the simulated one, so it holds back no simulated file: every file published
 * by the simulated now is due.
 */
export function liveRange(h: SourceHarness): { from: string; to: string } {
  return { from: h.config.sources[0]!.startFrom, to: h.sim.control.now() };
}

export interface OutputCheck {
  files: number;
  rows: number;
}

/**
 * The output holds every row of exactly `files`, each once: per-file row counts equal the simulator's, no
 * duplicate `p_row_id`, no file that should not be there.
 */
export function expectExactlyOnce(events: OutputEvent[], files: SimFileSummary[]): OutputCheck {
  expect(duplicates(events.map((e) => e.p_row_id))).toEqual([]);
  const rowsByFile = new Map<string, number>();
  for (const e of events) {
    const id = (e.p_source_file as { id: string }).id;
    rowsByFile.set(id, (rowsByFile.get(id) ?? 0) + 1);
  }
  const expected = Object.fromEntries(files.map((f) => [f.id, f.rows]));
  expect(Object.fromEntries([...rowsByFile].sort())).toEqual(
    Object.fromEntries(Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : 1))),
  );
  return { files: files.length, rows: events.length };
}

/** `expectExactlyOnce` on the harness's output folder. */
export function checkOutput(h: SourceHarness, files: SimFileSummary[]): OutputCheck {
  return expectExactlyOnce(readFileSinkEvents(h.outputDir), files);
}

/**
 * The file sink promises that a file's output (chunks and manifest) is byte-for-byte what one uninterrupted
 * ingestion writes: re-ingest each file into a scratch folder with the parse time of its manifest and compare
 * every file. This also proves that no `p_row_id` is missing: the reference run computes them independently.
 */
export async function expectByteIdentical(h: SourceHarness, files: SimFileSummary[], chunkRows = 1000): Promise<void> {
  const actualSink = new FileSink({ dir: h.outputDir, durable: false });
  const referenceDir = fs.mkdtempSync(path.join(h.tmpDir, 'reference-'));
  const reference = new FileSink({ dir: referenceDir, durable: false });
  for (const f of files) {
    const ref = {
      sourceId: h.sourceId,
      orgId: h.sim.orgId,
      fileId: f.id,
      eventType: f.eventType,
      logDate: f.logDate,
      interval: f.interval,
      sequence: f.sequence,
    };
    const dir = actualSink.directoryOf(ref);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      parseTime?: string;
      completedAt?: string;
    };
    const parseTime = manifest.parseTime ?? firstParseTime(dir);
    await runIngest({
      open: async () => h.sim.control.fileCsv(f.id),
      file: ref,
      context: { sourceLabel: h.config.sources[0]!.label, parseTime },
      sink: reference,
      chunkRows,
    });
    // completedAt is the wall clock of the commit, the one thing a rerun cannot reproduce.
    const strip = (m: Buffer): string => m.toString('utf8').replace(/"completedAt": "[^"]*"/, '');
    const actual = snapshotDir(dir, /^$/);
    const expected = snapshotDir(reference.directoryOf(ref), /^$/);
    expect([...actual.keys()]).toEqual([...expected.keys()]);
    for (const [name, bytes] of expected) {
      const got = actual.get(name)!;
      if (name === 'manifest.json') expect(strip(got)).toBe(strip(bytes));
      else
        expect({ file: `${f.id}/${name}`, same: got.equals(bytes) }).toEqual({ file: `${f.id}/${name}`, same: true });
    }
  }
  fs.rmSync(referenceDir, { recursive: true, force: true });
}

function firstParseTime(dir: string): string {
  const part = walk(dir).find((p) => /part-\d+\.ndjson/.test(p))!;
  const raw = fs.readFileSync(part);
  const text = part.endsWith('.gz') ? zlib.gunzipSync(raw).toString() : raw.toString();
  return (JSON.parse(text.split('\n')[0]!) as { p_parse_time: string }).p_parse_time;
}

/** Leftovers of interrupted writes: temporary files the sink should have renamed or cleaned up. */
export function strayTempFiles(dir: string): string[] {
  return walk(dir).filter((p) => /\.tmp/.test(path.basename(p)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `predicate` until it holds (fails with `what` after `timeoutMs`). */
export async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(200);
  }
}
