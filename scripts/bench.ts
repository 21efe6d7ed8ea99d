/**
 * `npm run bench`: elfstream's ingest path against its ceiling (csv-parse alone) and the naive peer approach
 * (jsforce blob + synchronous csv-parse), in one run on the same machine and the same generated files (URI and
 * Login, ~100 MB and ~1 GiB) served by the simulator in a child process over loopback with gzip; then the
 * workflow overhead of one poll cycle over many small files on a Temporal dev server. See PERFORMANCE.md.
 *
 *   npm run bench [-- --json] [--write] [--quick] [--no-workflow] [--no-throughput] [--no-login-1g] [--no-busy]
 *                 [--files 500] [--concurrency 4] [--cpu-prof] [--keep] [--check]
 *                 [--from test-output/bench-report.json] [--realtime] [--realtime-minutes 3]
 *                 [--sinks] [--sinks-mb 1024]
 *
 * --json         print the report as JSON on stdout (progress and the table go to stderr)
 * --write        write PERFORMANCE.md from the report
 * --quick        100 MB files only (and a 100-file workflow cycle unless --files is given)
 * --no-login-1g  skip the 1 GiB Login file
 * --no-busy      skip the busy worker (four 256 MB URI files at once; 32 MB with --quick)
 * --cpu-prof     write CPU profiles of the elfstream runs to test-output/bench-profiles
 * --check        exit with code 1 when a target is missed (the run itself succeeded otherwise)
 * --keep         keep the temp directory (job files, workflow-cycle output)
 * --realtime     also measure the real-time channel's event-to-output lag (realtimeLagP95Seconds) with a
 *                one-minute schedule: a real run of --realtime-minutes (default 3) against the simulator's clock
 * --from FILE    print (and with --write, record) a saved report instead of measuring; every run saves its
 *                report to test-output/bench-report.json
 * --sinks        also each sink's throughput (s3, kafka, http panther preset) relative to the file sink on one
 *                URI file of --sinks-mb MB (default 1024), servers on loopback (scripts/bench/sinks.ts)
 *
 * Every measurement runs in a child process of its own (compiled to JavaScript under test-output/bench, run with
 * plain node as the product runs), so its peak RSS is its own.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CONFIG_DEFAULTS } from '../src/config/defaults';
import { SimulatorControlClient } from '@elfstream/salesforce-simulator';
import { runChild, startSimulatorChild } from './bench/child';
import type { ChildOutcome, SimulatorChild } from './bench/child';
import { compileForChild, ROOT } from './bench/compile';
import { addSizedFile } from './bench/files';
import type { BenchFile } from './bench/files';
import type {
  BusyWorkerJob,
  DownloadJob,
  ElfstreamJob,
  Measurement,
  NaiveJob,
  ParseEngine,
  ParseJob,
} from './bench/measure-child';
import { cpuSecondsOf, GIB, machineBusySeconds, MB, rssSampler } from './bench/proc';
import { addRatios, busyWorkerRatios, renderMarkdown, renderTable, targetsFor } from './bench/report';
import type { BenchReport, Row, RowKind } from './bench/report';
import { benchSinks } from './bench/sinks';
import type { WorkflowCycleJob, WorkflowCycleResult } from './bench/workflow-cycle';
import { measureRealtimeLag } from './bench/realtime-lag';
import { currentCommit } from './git-commit';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { resolveTemporalCli } = require('./temporal-cli.js') as {
  resolveTemporalCli(o?: { install?: boolean }): string;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHILD_TIMEOUT_MS = 10 * 60_000;
/** Every run's report, also when not printed as JSON (`--from` renders it again). */
const LAST_REPORT = path.join(ROOT, 'test-output', 'bench-report.json');

interface Options {
  json: boolean;
  write: boolean;
  quick: boolean;
  /** The file the headline ratios are for: URI 1 GiB (URI 100 MB with --quick). */
  headlineFile: string;
  workflow: boolean;
  throughput: boolean;
  login1g: boolean;
  /** The busy-worker measurement: how many URI files at once, of how many bytes each. */
  busy?: { files: number; bytes: number; label: string };
  files: number;
  concurrency: number;
  cpuProf: boolean;
  keep: boolean;
  check: boolean;
  /** Measure the real-time channel's lag, for this many minutes (0: not at all). */
  realtimeMinutes: number;
  /** Size of the URI file of the sinks comparison; 0 without `--sinks`. */
  sinksMb: number;
  /** Render a saved report instead of measuring. */
  from?: string;
}

function parseOptions(argv: string[]): Options {
  const known = [
    '--json',
    '--write',
    '--quick',
    '--no-workflow',
    '--no-throughput',
    '--no-login-1g',
    '--no-busy',
    '--cpu-prof',
    '--keep',
    '--check',
    '--realtime',
    '--sinks',
  ];
  const valued = ['--files', '--concurrency', '--from', '--realtime-minutes', '--sinks-mb'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (valued.includes(a)) i++;
    else if (!known.includes(a)) throw new Error(`unknown option ${a} (known: ${[...known, ...valued].join(' ')})`);
  }
  const num = (name: string, fallback: number): number => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
    return v;
  };
  const quick = argv.includes('--quick');
  return {
    json: argv.includes('--json'),
    write: argv.includes('--write'),
    quick,
    headlineFile: quick ? 'URI 100 MB' : 'URI 1 GiB',
    workflow: !argv.includes('--no-workflow'),
    throughput: !argv.includes('--no-throughput'),
    login1g: !argv.includes('--no-login-1g'),
    ...(argv.includes('--no-busy')
      ? {}
      : {
          busy: quick
            ? { files: 4, bytes: 32 * MB, label: 'URI 4 × 32 MB' }
            : { files: 4, bytes: 256 * MB, label: 'URI 4 × 256 MB' },
        }),
    files: num('--files', quick ? 100 : 500),
    concurrency: num('--concurrency', CONFIG_DEFAULTS.source.concurrency),
    cpuProf: argv.includes('--cpu-prof'),
    keep: argv.includes('--keep'),
    check: argv.includes('--check'),
    realtimeMinutes: argv.includes('--realtime') ? num('--realtime-minutes', 3) : 0,
    sinksMb: argv.includes('--sinks') ? num('--sinks-mb', 1024) : 0,
    ...(argv.includes('--from') ? { from: argv[argv.indexOf('--from') + 1] ?? '' } : {}),
  };
}

/** Progress goes to stderr, so that `--json` output on stdout is only the report. */
const log = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);

const ONE_THREAD = 'elfstream in one thread (no ingest thread)';
/** Runs of the two measurements the headline ratio divides (on 2 cores single runs of elfstream vary by a quarter). */
const HEADLINE_RUNS = 5;
/** Runs of the two busy-worker measurements (each takes all cores at once, so runs vary less). */
const BUSY_RUNS = 3;
const OWN_PARSER = "elfstream's parser alone (LogFileParser, rows packed)";

const PARSERS: { engine: ParseEngine; kind: RowKind }[] = [
  { engine: 'csv-parse', kind: 'ceiling' },
  { engine: 'udsv', kind: 'reference' },
  { engine: 'papaparse', kind: 'reference' },
];

class Bench {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  /** The simulator child serving the files, whose CPU time is recorded beside each measurement. */
  simPid: number | undefined;
  private jobCount = 0;

  constructor(
    private readonly opts: Options,
    private readonly script: string,
    private readonly tmp: string,
  ) {}

  /**
   * Runs a measurement `repeat` times, each in a child of its own, and records the median run (by throughput) as
   * its row, with every run's throughput beside it; a failed run is recorded instead.
   */
  async measure(
    file: BenchFile,
    kind: RowKind,
    measurement: string,
    mode: string,
    job: object,
    extra: Partial<Row> = {},
    execArgv: string[] = [],
    repeat = 1,
  ): Promise<Row> {
    const runs: Row[] = [];
    for (let i = 0; i < repeat; i++) runs.push(await this.runOnce(file, kind, measurement, mode, job, extra, execArgv));
    const failedRun = runs.find((r) => r.mbPerSec === null);
    const sorted = [...runs].sort((a, b) => (a.mbPerSec ?? 0) - (b.mbPerSec ?? 0));
    const row = failedRun ?? (sorted[Math.floor((sorted.length - 1) / 2)] as Row);
    if (repeat > 1) row.runsMbPerSec = runs.map((r) => (r.mbPerSec === null ? null : Number(r.mbPerSec.toFixed(1))));
    this.rows.push(row);
    return row;
  }

  /**
   * Runs one child per job, all at once, `repeat` times, and records the median run (by aggregate throughput) as
   * one row for `group`: all bytes over the time until the last child is done, CPU and peak RSS summed.
   */
  async measureAtOnce(
    group: BenchFile,
    files: BenchFile[],
    kind: RowKind,
    measurement: string,
    mode: string,
    jobs: object[],
    repeat = 1,
  ): Promise<Row> {
    const runs: Row[] = [];
    for (let i = 0; i < repeat; i++) {
      const each = await Promise.all(
        jobs.map((job, k) => this.runOnce(files[k] as BenchFile, kind, measurement, mode, job, {}, [])),
      );
      const failed = each.find((r) => r.mbPerSec === null);
      const seconds = Math.max(...each.map((r) => r.seconds));
      const sum = (f: (r: Row) => number | null | undefined): number => each.reduce((t, r) => t + (f(r) ?? 0), 0);
      runs.push({
        file: group.label,
        eventType: group.eventType,
        fileBytes: group.logFileLength,
        fileRows: group.rows,
        kind,
        measurement: `${measurement}, ${jobs.length} at once`,
        mbPerSec: failed ? null : group.logFileLength / MB / seconds,
        rowsPerSec: failed ? null : group.rows / seconds,
        peakRssMb: sum((r) => r.peakRssMb),
        seconds,
        cpuSeconds: sum((r) => r.cpuSeconds),
        loadAverage: Math.max(...each.map((r) => r.loadAverage)),
        ...(failed?.error !== undefined ? { error: failed.error } : {}),
      });
    }
    const sorted = [...runs].sort((a, b) => (a.mbPerSec ?? 0) - (b.mbPerSec ?? 0));
    const row = runs.find((r) => r.mbPerSec === null) ?? (sorted[Math.floor((sorted.length - 1) / 2)] as Row);
    if (repeat > 1) row.runsMbPerSec = runs.map((r) => (r.mbPerSec === null ? null : Number(r.mbPerSec.toFixed(1))));
    this.rows.push(row);
    return row;
  }

  /**
   * A busy worker: `files` ingested at once by one elfstream process, against csv-parse parse-only of the same
   * files, one process each, at once on the same cores.
   */
  async measureBusyWorker(sim: SimulatorChild, group: BenchFile, files: BenchFile[]): Promise<void> {
    const csvs = files.map((f) => path.join(this.tmp, `${f.id}.csv`));
    for (const [k, file] of files.entries()) {
      const job: DownloadJob = { sim, file, out: csvs[k] as string, tmpDir: this.tmp };
      await this.runOnce(file, 'source', 'download (simulator, gzip, to disk)', 'download', job, {}, []);
    }
    const parseJobs: ParseJob[] = csvs.map((csv) => ({ engine: 'csv-parse', path: csv }));
    await this.measureAtOnce(group, files, 'ceiling', 'csv-parse (parse only)', 'parse', parseJobs, BUSY_RUNS);
    for (const csv of csvs) fs.rmSync(csv, { force: true });
    const outputDir = path.join(this.tmp, 'out-busy');
    const job: BusyWorkerJob = { sim, files, outputDir };
    const runs = BUSY_RUNS;
    await this.measure(group, 'elfstream', 'elfstream busy worker', 'busy', job, { gzipOutput: false }, [], runs);
    fs.rmSync(outputDir, { recursive: true, force: true });
  }

  /** Runs one measurement child and returns its row. */
  private async runOnce(
    file: BenchFile,
    kind: RowKind,
    measurement: string,
    mode: string,
    job: object,
    extra: Partial<Row>,
    execArgv: string[],
  ): Promise<Row> {
    const jobPath = path.join(this.tmp, `job-${++this.jobCount}.json`);
    fs.writeFileSync(jobPath, JSON.stringify(job));
    const simCpu = this.simPid === undefined ? undefined : cpuSecondsOf(this.simPid);
    const busy = machineBusySeconds();
    const ownCpu = process.cpuUsage();
    const out: ChildOutcome<Measurement> = await runChild<Measurement>(this.script, [mode, jobPath], {
      execArgv,
      timeoutMs: CHILD_TIMEOUT_MS,
      onLine: (line) => log(`  ${line}`),
    });
    const simCpuAfter = this.simPid === undefined ? undefined : cpuSecondsOf(this.simPid);
    const busyAfter = machineBusySeconds();
    const own = process.cpuUsage(ownCpu);
    const simulatorCpuSeconds =
      simCpu !== undefined && simCpuAfter !== undefined && simCpuAfter - simCpu > 0.05
        ? Number((simCpuAfter - simCpu).toFixed(2))
        : undefined;
    const m = out.result;
    // What the rest of the machine used meanwhile: every core's busy time, less this child's, the simulator's and ours.
    const otherCpuSeconds =
      busy !== undefined && busyAfter !== undefined && m !== undefined
        ? Math.max(
            0,
            busyAfter - busy - m.processCpuSeconds - (simulatorCpuSeconds ?? 0) - (own.user + own.system) / 1e6,
          )
        : undefined;
    const peakRssMb = Math.max(out.peakRssBytes, m?.peakRssBytes ?? 0) / MB;
    const error =
      m?.error ??
      (m === undefined
        ? lastErrorLine(out.stderrTail) || `exited with ${out.signal ?? `code ${out.exitCode ?? '?'}`}`
        : undefined);
    const ok = m !== undefined && error === undefined;
    const row: Row = {
      file: file.label,
      eventType: file.eventType,
      fileBytes: file.logFileLength,
      fileRows: file.rows,
      kind,
      measurement,
      ...extra,
      mbPerSec: ok ? m.bytes / MB / m.seconds : null,
      rowsPerSec: ok ? m.rows / m.seconds : null,
      peakRssMb,
      seconds: m?.seconds ?? out.wallMs / 1000,
      cpuSeconds: m?.cpuSeconds ?? null,
      ...(simulatorCpuSeconds !== undefined ? { simulatorCpuSeconds } : {}),
      loadAverage: Number((os.loadavg()[0] ?? 0).toFixed(2)),
      ...(otherCpuSeconds !== undefined ? { otherCpuSeconds: Number(otherCpuSeconds.toFixed(2)) } : {}),
      ...(error !== undefined ? { error } : {}),
    };
    if (ok && (m.rows !== file.rows || m.bytes !== file.logFileLength)) {
      this.notes.push(
        `${measurement} on ${file.label} counted ${m.rows} rows / ${m.bytes} bytes; the file has ${file.rows} / ` +
          `${file.logFileLength}.`,
      );
    }
    log(
      `  ${file.label} ${measurement}${extra.gzipOutput === undefined ? '' : ` gzip ${extra.gzipOutput ? 'on' : 'off'}`}: ` +
        (ok
          ? `${(row.mbPerSec ?? 0).toFixed(1)} MB/s, ${Math.round(row.rowsPerSec ?? 0)} rows/s`
          : `failed: ${error ?? ''}`) +
        `, peak RSS ${peakRssMb.toFixed(0)} MB, ${row.seconds.toFixed(1)} s`,
    );
    return row;
  }

  /**
   * csv-parse, and the other tokenizers for reference; on a large file only the fastest other one on the smaller
   * file of the same type (they are ranked already, and the 15-minute budget of a full run is tight).
   */
  private parsersFor(file: BenchFile): typeof PARSERS {
    const smaller = this.rows.filter(
      (r) => r.kind === 'reference' && r.eventType === file.eventType && r.fileBytes < file.logFileLength,
    );
    if (smaller.length === 0) return PARSERS;
    const best = smaller.reduce((a, b) => ((b.mbPerSec ?? 0) > (a.mbPerSec ?? 0) ? b : a));
    return PARSERS.filter((p) => p.kind === 'ceiling' || best.measurement.startsWith(`${p.engine} `));
  }

  /** Every measurement of one generated file. */
  async measureFile(sim: SimulatorChild, file: BenchFile): Promise<void> {
    const csv = path.join(this.tmp, `${file.id}.csv`);
    const download = await this.measure(file, 'source', 'download (simulator, gzip, to disk)', 'download', {
      sim,
      file,
      out: csv,
      tmpDir: this.tmp,
    });
    if (download.error === undefined) {
      for (const { engine, kind } of this.parsersFor(file)) {
        const repeat = kind === 'ceiling' && file.label === this.opts.headlineFile ? HEADLINE_RUNS : 1;
        await this.measure(file, kind, `${engine} (parse only)`, 'parse', { engine, path: csv }, {}, [], repeat);
      }
      if (file.eventType === 'URI') {
        // csv-parse over the download stream: the ceiling of any pipeline while the simulator shares the machine.
        const parseDownload: ParseJob = { engine: 'csv-parse', path: '', download: { sim, file, tmpDir: this.tmp } };
        await this.measure(file, 'diagnostic', 'csv-parse over the download', 'parse', parseDownload);
        // elfstream's parsing step alone: the part of the pipeline that cannot leave the main thread.
        const ownParser: ParseJob = { engine: 'elfstream-parser', path: csv };
        await this.measure(file, 'diagnostic', OWN_PARSER, 'parse', ownParser);
        // The pipeline alone, from disk: what elfstream does without HTTP and gunzip.
        const outputDir = path.join(this.tmp, `out-${file.id}-disk`);
        const job: ElfstreamJob = { sim, file, gzip: false, outputDir, fromDisk: csv };
        await this.measure(file, 'diagnostic', 'elfstream from disk (no download)', 'elfstream', job, {
          gzipOutput: false,
        });
        fs.rmSync(outputDir, { recursive: true, force: true });
      }
    }
    fs.rmSync(csv, { force: true });
    if (file.eventType === 'URI') {
      // What the ingest worker thread adds: the same path with the file decoded, parsed and normalized in one thread.
      const outputDir = path.join(this.tmp, `out-${file.id}-one-thread`);
      const job: ElfstreamJob = { sim, file, gzip: false, outputDir, offload: 'never' };
      await this.measure(file, 'diagnostic', ONE_THREAD, 'elfstream', job, { gzipOutput: false });
      fs.rmSync(outputDir, { recursive: true, force: true });
    }
    const naive: NaiveJob = { sim, file };
    await this.measure(file, 'naive', 'naive: jsforce blob + csv-parse/sync', 'naive', naive);
    for (const gzip of [false, true]) {
      const outputDir = path.join(this.tmp, `out-${file.id}-${gzip ? 'gz' : 'plain'}`);
      const job: ElfstreamJob = { sim, file, gzip, outputDir };
      const profile = this.opts.cpuProf
        ? ['--cpu-prof', '--cpu-prof-dir', path.join(ROOT, 'test-output', 'bench-profiles')]
        : [];
      const repeat = !gzip && file.label === this.opts.headlineFile ? HEADLINE_RUNS : 1;
      await this.measure(file, 'elfstream', 'elfstream', 'elfstream', job, { gzipOutput: gzip }, profile, repeat);
      fs.rmSync(outputDir, { recursive: true, force: true });
    }
  }
}

function lastErrorLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '));
  const hit = [...lines].reverse().find((l) => /error|fatal|heap|memory|killed/i.test(l));
  return (hit ?? lines[lines.length - 1] ?? '').slice(0, 300);
}

async function throughput(bench: Bench, simScript: string, opts: Options): Promise<void> {
  const sim = await startSimulatorChild(simScript, ['--now', '2026-11-27T13:00:00Z', '--days', '1']);
  const simRss = rssSampler(sim.pid);
  bench.simPid = sim.pid;
  try {
    const control = new SimulatorControlClient(sim.url);
    const specs = [
      { eventType: 'URI', targetBytes: 100 * MB, label: 'URI 100 MB' },
      { eventType: 'Login', targetBytes: 100 * MB, label: 'Login 100 MB' },
      ...(opts.quick
        ? []
        : [
            { eventType: 'URI', targetBytes: GIB, label: 'URI 1 GiB' },
            ...(opts.login1g ? [{ eventType: 'Login', targetBytes: GIB, label: 'Login 1 GiB' }] : []),
          ]),
    ];
    for (const spec of specs) {
      const file = await addSizedFile(control, { ...spec, logDate: '2026-11-27T10:00:00Z' });
      log(`${file.label}: ${file.id}, ${file.rows} rows, ${(file.logFileLength / MB).toFixed(1)} MB of CSV`);
      await bench.measureFile(sim, file);
    }
    if (opts.busy !== undefined) {
      const { files: count, bytes, label } = opts.busy;
      const files: BenchFile[] = [];
      for (let k = 0; k < count; k++) {
        const spec = { eventType: 'URI', targetBytes: bytes, label: `${label} #${k + 1}` };
        files.push(await addSizedFile(control, { ...spec, logDate: `2026-11-27T0${k}:00:00Z` }));
      }
      const group: BenchFile = {
        ...(files[0] as BenchFile),
        label,
        targetBytes: bytes * count,
        logFileLength: files.reduce((t, f) => t + f.logFileLength, 0),
        rows: files.reduce((t, f) => t + f.rows, 0),
      };
      log(`${label}: ${files.map((f) => f.id).join(', ')}, ${(group.logFileLength / MB).toFixed(1)} MB of CSV`);
      await bench.measureBusyWorker(sim, group, files);
    }
    bench.notes.push(`The simulator child peaked at ${(simRss.overall() / MB).toFixed(0)} MB RSS while serving.`);
  } finally {
    simRss.stop();
    bench.simPid = undefined;
    await sim.stop();
  }
}

async function workflowCycle(
  script: string,
  simScript: string,
  tmp: string,
  opts: Options,
): Promise<WorkflowCycleResult | { error: string }> {
  const cliPath = resolveTemporalCli({ install: true });
  // The source lists files created before the real now minus its settle window: put the simulated clock in the past.
  const simNow = new Date(Math.floor((Date.now() - 10 * DAY) / HOUR) * HOUR);
  const sim = await startSimulatorChild(simScript, ['--now', simNow.toISOString(), '--days', '2', '--event-types', '']);
  try {
    const control = new SimulatorControlClient(sim.url);
    const eventType = 'Login';
    const fileIds: string[] = [];
    const spanMs = 20 * HOUR;
    for (let i = 0; i < opts.files; i++) {
      const created = simNow.getTime() - spanMs + Math.floor((i * spanMs) / opts.files) + 1000;
      const f = await control.addFile({
        eventType,
        interval: 'Hourly',
        logDate: new Date(created - HOUR).toISOString(),
        createdDate: new Date(Math.floor(created / 1000) * 1000).toISOString(),
        rows: 20,
      });
      fileIds.push(f.id);
    }
    const job: WorkflowCycleJob = {
      cliPath,
      sim,
      fileIds,
      eventType,
      startFrom: new Date(simNow.getTime() - DAY).toISOString(),
      concurrency: opts.concurrency,
      tmpDir: fs.mkdtempSync(path.join(tmp, 'cycle-')),
    };
    const jobPath = path.join(tmp, 'job-workflow.json');
    fs.writeFileSync(jobPath, JSON.stringify(job));
    log(`workflow cycle: ${opts.files} files, concurrency ${opts.concurrency}`);
    const out = await runChild<WorkflowCycleResult>(script, ['workflow', jobPath], {
      timeoutMs: CHILD_TIMEOUT_MS,
      onLine: (line) => log(`  ${line}`),
    });
    if (out.result === undefined) return { error: lastErrorLine(out.stderrTail) || `exit code ${out.exitCode}` };
    return out.result;
  } finally {
    await sim.stop();
  }
}

function machine(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Where the headline file's CPU went: csv-parse alone, elfstream, the simulator serving it. */
function cpuNote(bench: Bench, file: string, cores: number): void {
  const row = (kind: RowKind): Row | undefined =>
    bench.rows.find((r) => r.file === file && r.kind === kind && r.gzipOutput !== true && r.mbPerSec !== null);
  const ceiling = row('ceiling');
  const e = row('elfstream');
  const download = row('source');
  if (!ceiling?.cpuSeconds || !e?.cpuSeconds || !e.simulatorCpuSeconds || e.cpuBoundVsParseOnly === undefined) return;
  bench.notes.push(
    `${file}: csv-parse alone used ${ceiling.cpuSeconds.toFixed(1)} CPU-s (${ceiling.seconds.toFixed(1)} s). End to ` +
      `end, elfstream used ${e.cpuSeconds.toFixed(1)} CPU-s (all threads) and the simulator, generating and gzipping ` +
      `the file on the same cores, ${e.simulatorCpuSeconds.toFixed(1)} CPU-s. On ${cores} otherwise idle cores that ` +
      `CPU allows at most ${e.cpuBoundVsParseOnly.toFixed(2)}x csv-parse's parse-only throughput; measured ` +
      `${(e.vsParseOnly ?? 0).toFixed(2)}x.` +
      (download?.mbPerSec ? ` The download alone runs at ${download.mbPerSec.toFixed(1)} MB/s.` : ''),
  );
}

/** Runs every measurement and builds the report. */
async function measureAll(opts: Options, argv: string[]): Promise<BenchReport> {
  const started = Date.now();
  log('compiling src/ and scripts/bench/ for the child processes');
  const tree = await compileForChild('bench', ['src', 'packages/salesforce-simulator/src', 'scripts/bench']);
  const script = tree.js('scripts/bench/measure-child.ts');
  const simScript = tree.js('scripts/bench/simulator-child.ts');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'elfstream-bench-'));
  const bench = new Bench(opts, script, tmp);
  let workflow: BenchReport['workflow'];
  let realtime: BenchReport['realtime'];
  let sinks: BenchReport['sinks'];
  try {
    if (opts.throughput) await throughput(bench, simScript, opts);
    if (opts.workflow) {
      workflow = await workflowCycle(script, simScript, tmp, opts).catch((err: unknown) => ({
        error: err instanceof Error ? err.message : String(err),
      }));
    }
    if (opts.realtimeMinutes > 0) {
      realtime = await measureRealtimeLag({
        cliPath: resolveTemporalCli({ install: true }),
        tmpDir: tmp,
        minutes: opts.realtimeMinutes,
        log,
      }).catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }));
    }
    if (opts.sinksMb > 0) {
      sinks = await benchSinks(opts.sinksMb).then(
        (rows) => ({ sizeMb: opts.sinksMb, rows }),
        (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }),
      );
    }
  } finally {
    if (opts.keep) log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }

  const cores = machine().cores;
  addRatios(bench.rows, cores);
  const { headlineFile } = opts;
  cpuNote(bench, headlineFile, cores);
  // Other work is noise when it took more than a tenth of the cores over a measurement's wall time.
  const noisy = bench.rows.filter((r) => (r.otherCpuSeconds ?? 0) > 0.1 * cores * r.seconds);
  if (noisy.length > 0) {
    const worst = Math.max(...noisy.map((r) => (r.otherCpuSeconds ?? 0) / (cores * r.seconds)));
    bench.notes.push(
      `Other processes used the ${cores} cores during ${noisy.length} of ${bench.rows.length} measurements (up to ` +
        `${(worst * 100).toFixed(0)}% of the cores' time; column "other CPU s"): their wall-clock figures are noisy, ` +
        'the CPU-seconds columns much less so.',
    );
  }
  const naiveFailures = bench.rows.filter((r) => r.kind === 'naive' && r.error);
  for (const r of naiveFailures) {
    bench.notes.push(
      `The naive approach failed on ${r.file} after ${r.seconds.toFixed(0)} s at ${r.peakRssMb.toFixed(0)} MB RSS ` +
        `(${r.error}); its throughput ratio uses the 100 MB file of the same type.`,
    );
  }
  const headline = bench.rows.find((r) => r.file === headlineFile && r.kind === 'elfstream' && !r.gzipOutput);
  const diagnostic = (name: string): Row | undefined =>
    bench.rows.find((r) => r.file === headlineFile && r.kind === 'diagnostic' && r.measurement.startsWith(name));
  const others = bench.rows.filter((r) => r.kind === 'reference' && r.mbPerSec !== null);
  const fastest = others.reduce<Row | undefined>(
    (a, b) => (a && (a.mbPerSec ?? 0) >= (b.mbPerSec ?? 0) ? a : b),
    undefined,
  );
  const report: BenchReport = {
    command: `npm run bench${argv.length ? ` -- ${argv.filter((a) => a !== '--write').join(' ')}` : ''}`,
    machine: machine(),
    sourceDigest: tree.digest,
    commit: currentCommit(),
    maxLoadAverage: Math.max(0, ...bench.rows.map((r) => r.loadAverage)),
    startedAt: new Date(started).toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    quick: opts.quick,
    headlineFile,
    elfstreamVsParseOnly: headline?.vsParseOnly ?? null,
    elfstreamVsNaive: headline?.vsNaive ?? null,
    elfstreamPeakRssMb: headline ? Number(headline.peakRssMb.toFixed(1)) : null,
    elfstreamCpuVsParseOnly: headline?.cpuVsParseOnly ?? null,
    elfstreamCpuBoundVsParseOnly: headline?.cpuBoundVsParseOnly ?? null,
    elfstreamFromDiskVsParseOnly: diagnostic('elfstream from disk')?.vsParseOnly ?? null,
    parseOverDownloadVsParseOnly: diagnostic('csv-parse over the download')?.vsParseOnly ?? null,
    elfstreamOneThreadVsParseOnly: diagnostic(ONE_THREAD)?.vsParseOnly ?? null,
    elfstreamParserVsParseOnly: diagnostic(OWN_PARSER)?.vsParseOnly ?? null,
    targets: targetsFor(bench.rows, headlineFile, opts.busy?.label),
    ...(opts.busy !== undefined
      ? { busyWorkerFiles: opts.busy.label, ...busyWorkerRatios(bench.rows, opts.busy.label) }
      : {}),
    ...(fastest?.mbPerSec
      ? {
          fastestOtherTokenizer: {
            engine: fastest.measurement.replace(/ \(parse only\)$/, ''),
            mbPerSec: Number(fastest.mbPerSec.toFixed(1)),
            file: fastest.file,
          },
        }
      : {}),
    rows: bench.rows.map((r) => ({
      ...r,
      mbPerSec: r.mbPerSec === null ? null : Number(r.mbPerSec.toFixed(2)),
      rowsPerSec: r.rowsPerSec === null ? null : Math.round(r.rowsPerSec),
      peakRssMb: Number(r.peakRssMb.toFixed(1)),
      seconds: Number(r.seconds.toFixed(2)),
    })),
    ...(workflow ? { workflow } : {}),
    ...(realtime
      ? { realtime, realtimeLagP95Seconds: 'lagP95Seconds' in realtime ? realtime.lagP95Seconds : null }
      : {}),
    ...(sinks ? { sinks } : {}),
    notes: bench.notes,
  };
  return report;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const opts = parseOptions(argv);
  const started = Date.now();
  let report: BenchReport;
  if (opts.from !== undefined) {
    report = JSON.parse(fs.readFileSync(opts.from, 'utf8')) as BenchReport;
  } else {
    report = await measureAll(opts, argv);
    fs.mkdirSync(path.dirname(LAST_REPORT), { recursive: true });
    fs.writeFileSync(LAST_REPORT, `${JSON.stringify(report, null, 2)}\n`);
    log(`report saved to ${path.relative(process.cwd(), LAST_REPORT)}`);
  }
  const table = renderTable(report);
  if (opts.json) {
    process.stderr.write(`\n${table}\n\n`);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`\n${table}\n`);
  }
  if (opts.write) {
    fs.writeFileSync(path.join(ROOT, 'PERFORMANCE.md'), renderMarkdown(report));
    log('wrote PERFORMANCE.md');
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (opts.check && report.targets.some((t) => !t.pass)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
