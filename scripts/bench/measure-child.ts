/**
 * Child process of `npm run bench`: runs one measurement and prints its {@link Measurement} as a `RESULT` line.
 *
 *   node measure-child.js download  <job.json>   simulator -> SalesforceClient.openLogFile (gzip) -> a CSV file
 *   node measure-child.js parse     <job.json>   a CSV file on disk -> csv-parse | udsv | papaparse (parse only)
 *   node measure-child.js naive     <job.json>   simulator -> jsforce blob (buffered) -> csv-parse/sync
 *   node measure-child.js elfstream <job.json>   simulator -> openLogFile -> runIngest -> file sink
 *                                                (or, with `fromDisk`, a CSV file on disk -> runIngest -> file sink)
 *   node measure-child.js busy      <job.json>   several files at once, each as `elfstream`, in this one process
 *   node measure-child.js workflow  <job.json>   see workflow-cycle.ts
 *
 * Times exclude process start, module loading and the login (each side logs in once before its clock starts).
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { ownPeakRss, reportResult } from './child';
import type { SimulatorReady } from './child';
import type { LogSink } from '../../src/sinks';
import type { BenchFile } from './files';
import type { OutputConfig } from '../../src/config/types';

/** What every throughput child reports. */
export interface Measurement {
  /** Decoded CSV bytes handled. */
  bytes: number;
  /** Data rows (the header excluded). */
  rows: number;
  seconds: number;
  /** CPU time of the child (all its threads) over the same span as `seconds`. */
  cpuSeconds: number;
  /** CPU time of the child over its whole life (start, module loading and login included). */
  processCpuSeconds: number;
  /** The child's own VmHWM (the parent's samples may add to it). */
  peakRssBytes: number;
  /** Set when the measurement failed; `bytes`/`rows` are then what was done before it failed. */
  error?: string;
}

/**
 * `elfstream-parser` is elfstream's own parsing step as the pipeline runs it in an ingest worker thread
 * (LogFileParser: its own tokenizer, row numbers, malformed rows, values packed as bytes).
 */
export type ParseEngine = 'csv-parse' | 'udsv' | 'papaparse' | 'elfstream-parser';

export interface DownloadJob {
  sim: SimulatorReady;
  file: BenchFile;
  out: string;
  tmpDir: string;
}
export interface ParseJob {
  engine: ParseEngine;
  /** The CSV file to parse; or, with `download`, where it comes from instead. */
  path: string;
  /** Parse the download stream itself (simulator -> openLogFile -> parser): the ceiling with the simulator running. */
  download?: { sim: SimulatorReady; file: BenchFile; tmpDir: string };
}
export interface NaiveJob {
  sim: SimulatorReady;
  file: BenchFile;
}
export interface ElfstreamJob {
  sim: SimulatorReady;
  file: BenchFile;
  gzip: boolean;
  outputDir: string;
  /** Read the CSV from this file instead of downloading it (a diagnostic: the pipeline without the network). */
  fromDisk?: string;
  /** `runIngest`'s `offload` (default: the product's, `auto`). */
  offload?: 'never';
  /** Another output than the file sink into `outputDir` (the sinks comparison of `--sinks`). */
  output?: OutputConfig;
}

/** A busy worker: several files ingested at once by one process, as a worker runs concurrent ingest activities. */
export interface BusyWorkerJob {
  sim: SimulatorReady;
  files: BenchFile[];
  outputDir: string;
}

/** Wall and CPU time (of every thread of this process) since it was started. */
function clock(): () => Pick<Measurement, 'seconds' | 'cpuSeconds' | 'processCpuSeconds'> {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    const life = process.cpuUsage();
    return {
      seconds: Number(process.hrtime.bigint() - wall) / 1e9,
      cpuSeconds: (used.user + used.system) / 1e6,
      processCpuSeconds: (life.user + life.system) / 1e6,
    };
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}`.slice(0, 300);
  return String(err).slice(0, 300);
}

async function clientFor(sim: SimulatorReady, file: BenchFile, outputDir: string, gzip = true) {
  const { benchConfig } = await import('./source-config');
  const { SalesforceClient } = await import('../../src/salesforce/client');
  const config = benchConfig({ sim, outputDir, gzip, eventTypes: [file.eventType] });
  const source = config.sources[0]!;
  const client = SalesforceClient.forSource(source);
  await client.login();
  return { config, source, client };
}

/** Decoded CSV of a file, as elfstream downloads it, written to disk for the parse-only runs. */
async function download(job: DownloadJob): Promise<Measurement> {
  const { client } = await clientFor(job.sim, job.file, job.tmpDir);
  const elapsed = clock();
  const body = await client.openLogFile({ id: job.file.id });
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(body.stream, count, fs.createWriteStream(job.out));
  return { bytes, rows: job.file.rows, ...elapsed(), peakRssBytes: ownPeakRss() };
}

/** A parser alone over a file on disk: records are counted and dropped. */
async function parse(job: ParseJob): Promise<Measurement> {
  const dl = job.download;
  const client = dl ? (await clientFor(dl.sim, dl.file, dl.tmpDir)).client : undefined;
  const elapsed = clock();
  let records = 0;
  let bytes = 0;
  if (job.engine === 'csv-parse') {
    const { parse: csvParse } = await import('csv-parse');
    const parser = csvParse();
    parser.on('data', () => records++);
    const input: NodeJS.ReadableStream =
      client && dl ? (await client.openLogFile({ id: dl.file.id })).stream : fs.createReadStream(job.path);
    if (dl) input.on('data', (c: Buffer) => (bytes += c.length));
    await pipeline(input, parser);
    records--; // the header
  } else if (job.engine === 'elfstream-parser') {
    const { LogFileParser } = await import('../../src/events/parse-log-file');
    const parser = new LogFileParser({ fileId: 'bench' });
    for await (const chunk of fs.createReadStream(job.path) as AsyncIterable<Buffer>) {
      records += parser.writePacked(chunk).count;
    }
    records += parser.endPacked().count;
  } else if (job.engine === 'udsv') {
    const { inferSchema, initParser } = await import('udsv');
    let parser: ReturnType<typeof initParser> | undefined;
    const onRow = (): void => {
      records++;
    };
    for await (const chunk of fs.createReadStream(job.path, { encoding: 'utf8' }) as AsyncIterable<string>) {
      parser ??= initParser(inferSchema(chunk)); // the schema's header row is skipped by the parser
      parser.chunk<string[]>(chunk, parser.stringArrs, onRow);
    }
    parser?.end();
  } else {
    const Papa = (await import('papaparse')).default;
    await new Promise<void>((resolve, reject) => {
      Papa.parse(fs.createReadStream(job.path, { encoding: 'utf8' }), {
        step: () => {
          records++;
        },
        complete: () => resolve(),
        error: (err: Error) => reject(err),
      });
    });
    records--; // the header
  }
  if (!dl) bytes = fs.statSync(job.path).size;
  return { bytes, rows: records, ...elapsed(), peakRssBytes: ownPeakRss() };
}

/**
 * What peers do: jsforce's blob API, the whole body in memory, then csv-parse's synchronous API into objects
 * (`columns: true`, as jsforce itself parses `text/csv`). jsforce buffers the body as a string of its own too.
 */
async function naive(job: NaiveJob): Promise<Measurement> {
  const jsforce = (await import('jsforce')).default;
  const { parse: parseSync } = await import('csv-parse/sync');
  const conn = new jsforce.Connection({ loginUrl: job.sim.url, version: '62.0' });
  await conn.login(job.sim.username, job.sim.password + job.sim.securityToken);
  const elapsed = clock();
  let bytes = 0;
  const failed = (err: unknown): Measurement => ({
    bytes,
    rows: 0,
    ...elapsed(),
    peakRssBytes: ownPeakRss(),
    error: errorText(err),
  });
  // jsforce buffers the body itself too (as a string, for its promise): on a large file that fails outside our
  // code, as an uncaught error of its stream. That is the outcome to report.
  const crash = (err: unknown): void => {
    reportResult(failed(err));
    process.exit(0);
  };
  process.once('uncaughtException', crash);
  process.once('unhandledRejection', crash);
  try {
    const chunks: Buffer[] = [];
    const blob = conn.sobject('EventLogFile').record(job.file.id).blob('LogFile');
    await new Promise<void>((resolve, reject) => {
      blob.on('data', (c: Buffer) => {
        bytes += c.length;
        chunks.push(c);
      });
      blob.on('end', () => resolve());
      blob.on('error', reject);
    });
    const text = Buffer.concat(chunks).toString('utf8');
    chunks.length = 0;
    const rows = parseSync(text, { columns: true }) as Record<string, string>[];
    return { bytes, rows: rows.length, ...elapsed(), peakRssBytes: ownPeakRss() };
  } catch (err) {
    return failed(err);
  }
}

/**
 * elfstream's ingest path as the activity runs it (src/activities/ingest.ts): the file's field layout, the
 * streamed download (gzip, decoded by the pipeline), `runIngest` into the configured file sink.
 */
async function elfstream(job: ElfstreamJob): Promise<Measurement> {
  const { createSink } = await import('../../src/sinks');
  const { config, source, client } = await clientFor(job.sim, job.file, job.outputDir, job.gzip);
  const sink = createSink(job.output ?? config.output);
  const elapsed = clock();
  const result = await ingest({ ...job, source, client, sink });
  await sink.close();
  return { ...result, ...elapsed(), peakRssBytes: ownPeakRss() };
}

/** Every file of the job at once, in this process, into one sink (one worker's concurrent ingest activities). */
async function busyWorker(job: BusyWorkerJob): Promise<Measurement> {
  const { createSink } = await import('../../src/sinks');
  const first = job.files[0];
  if (first === undefined) throw new Error('busy worker job without files');
  const { config, source, client } = await clientFor(job.sim, first, job.outputDir, false);
  const sink = createSink(config.output);
  const elapsed = clock();
  const results = await Promise.all(
    job.files.map((file) =>
      ingest({ sim: job.sim, file, gzip: false, outputDir: job.outputDir, source, client, sink }),
    ),
  );
  await sink.close();
  const sum = (key: 'bytes' | 'rows'): number => results.reduce((total, r) => total + r[key], 0);
  return { bytes: sum('bytes'), rows: sum('rows'), ...elapsed(), peakRssBytes: ownPeakRss() };
}

type Client = Awaited<ReturnType<typeof clientFor>>;

/** One file through `runIngest`, as the ingest activity runs it. */
async function ingest(
  job: ElfstreamJob & Pick<Client, 'source' | 'client'> & { sink: LogSink },
): Promise<{ bytes: number; rows: number }> {
  const { runIngest } = await import('../../src/ingest/pipeline');
  const { client, source, sink } = job;
  const layout = await client.getFieldLayout(job.file.id);
  let counted = 0;
  const result = await runIngest({
    // As the activity opens it: the body as sent, decoded where the pipeline decodes it.
    open: async (signal) => {
      if (job.fromDisk !== undefined) return fs.createReadStream(job.fromDisk, { signal });
      const { stream, encoding, decodeError } = await client.openLogFile(
        { id: job.file.id },
        { signal, decode: false },
      );
      return { stream, encoding, decodeError };
    },
    onBytesRead: (bytes) => (counted = bytes),
    file: {
      sourceId: source.id,
      orgId: job.sim.orgId,
      fileId: job.file.id,
      eventType: job.file.eventType,
      logDate: job.file.logDate,
      interval: job.file.interval,
      sequence: job.file.sequence,
      logFileLength: job.file.logFileLength,
      ...layout,
    },
    context: { sourceLabel: source.label, parseTime: '2026-11-27T13:00:00.000Z' },
    sink,
    chunkRows: source.chunkRows,
    ...(job.offload !== undefined ? { offload: job.offload } : {}),
  });
  if (job.fromDisk === undefined && counted !== result.bytesRead)
    throw new Error(`counted ${counted} bytes, runIngest read ${result.bytesRead}`);
  return { bytes: result.bytesRead, rows: result.rows };
}

async function main(): Promise<void> {
  const [mode, jobPath] = process.argv.slice(2);
  const job: unknown = JSON.parse(fs.readFileSync(jobPath ?? '', 'utf8'));
  switch (mode) {
    case 'download':
      return reportResult(await download(job as DownloadJob));
    case 'parse':
      return reportResult(await parse(job as ParseJob));
    case 'naive':
      return reportResult(await naive(job as NaiveJob));
    case 'elfstream':
      return reportResult(await elfstream(job as ElfstreamJob));
    case 'busy':
      return reportResult(await busyWorker(job as BusyWorkerJob));
    case 'workflow': {
      const { runWorkflowCycle } = await import('./workflow-cycle');
      return reportResult(await runWorkflowCycle(job as Parameters<typeof runWorkflowCycle>[0]));
    }
    default:
      throw new Error(`unknown mode ${mode ?? ''}`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
