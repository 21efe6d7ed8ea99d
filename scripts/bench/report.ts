/**
 * The benchmark's report: rows of measurements, the ratios and their targets, and their renderings (a table
 * for the terminal, JSON, and PERFORMANCE.md).
 */
import type { RealtimeLagResult } from './realtime-lag';
import { renderSinksTable, type SinkRow } from './sinks';
import type { WorkflowCycleResult } from './workflow-cycle';

/**
 * What a row measures: the download alone, the parser ceiling, other parsers, the naive peer approach, elfstream,
 * and elfstream's pipeline reading the CSV from disk (a diagnostic: no simulator competing for the CPU).
 */
export type RowKind = 'source' | 'ceiling' | 'reference' | 'naive' | 'elfstream' | 'diagnostic';

export interface Row {
  /** File label, e.g. `URI 1 GiB`. */
  file: string;
  eventType: string;
  fileBytes: number;
  fileRows: number;
  kind: RowKind;
  measurement: string;
  /** elfstream rows: gzip output of the file sink. */
  gzipOutput?: boolean;
  /** MiB of CSV per second; null when the measurement failed. */
  mbPerSec: number | null;
  rowsPerSec: number | null;
  peakRssMb: number;
  seconds: number;
  /** CPU time of the measuring process (all threads) over `seconds`; null when it failed before reporting. */
  cpuSeconds: number | null;
  /** CPU time the simulator child used meanwhile (rows that download from it). */
  simulatorCpuSeconds?: number;
  /** 1-minute load average of the machine when the measurement ended (this measurement included). */
  loadAverage: number;
  /**
   * CPU time other processes used while the child ran: every core's busy time (/proc/stat) less the child's, the
   * simulator's and the benchmark parent's. Large values mean other work competed for the cores (noisy wall time).
   */
  otherCpuSeconds?: number;
  error?: string;
  /** Throughput (MB/s) of every run, when the measurement was repeated; the row's figures are the median run's. */
  runsMbPerSec?: (number | null)[];
  /** elfstream rows: throughput / csv-parse's parse-only throughput on the same file. */
  vsParseOnly?: number;
  /** elfstream rows: throughput / the naive baseline's (on `naiveBasis`). */
  vsNaive?: number;
  /** The file the naive throughput comes from (another one when it failed on this file). */
  naiveBasis?: string;
  /** elfstream rows: the naive baseline's peak RSS on this same file / elfstream's. */
  naiveRssOverElfstream?: number;
  /** elfstream rows: csv-parse's CPU seconds / elfstream's, on the same file (CPU cost instead of wall time). */
  cpuVsParseOnly?: number;
  /**
   * elfstream rows: the best ratio to csv-parse's parse-only throughput this CPU cost allows here: csv-parse's time
   * over (elfstream's + the simulator's CPU seconds) / cores, i.e. with every core busy and nothing else running.
   */
  cpuBoundVsParseOnly?: number;
}

export interface Target {
  name: string;
  value: number | null;
  target: string;
  pass: boolean;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export interface BenchReport {
  command: string;
  machine: Machine;
  /** sha256 prefix of src/ and scripts/bench/ as measured (the pipeline changes between runs). */
  sourceDigest: string;
  /** The commit measured (`+dirty` when tracked files differed from it); absent from reports of older versions. */
  commit?: string;
  /** Highest 1-minute load average seen at the end of a measurement (the measurement's own processes included). */
  maxLoadAverage: number;
  startedAt: string;
  durationSeconds: number;
  quick: boolean;
  /** The file the headline ratios are for: URI 1 GiB (URI 100 MB with --quick), elfstream with gzip output off. */
  headlineFile: string;
  elfstreamVsParseOnly: number | null;
  elfstreamVsNaive: number | null;
  elfstreamPeakRssMb: number | null;
  /** Diagnostics of the headline file: CPU cost ratio, and the pipeline fed from disk instead of the simulator. */
  elfstreamCpuVsParseOnly: number | null;
  elfstreamCpuBoundVsParseOnly: number | null;
  elfstreamFromDiskVsParseOnly: number | null;
  /** csv-parse fed by the download while the simulator serves it, over csv-parse from disk: this setup's ceiling. */
  parseOverDownloadVsParseOnly: number | null;
  /** elfstream with the whole file in the ingesting thread (no ingest thread), over csv-parse from disk. */
  elfstreamOneThreadVsParseOnly: number | null;
  /** elfstream's parsing step alone (LogFileParser, from disk), over csv-parse with default options. */
  elfstreamParserVsParseOnly: number | null;
  /** The files a busy worker ingests at once, e.g. `URI 4 × 256 MB`. */
  busyWorkerFiles?: string;
  /**
   * One worker process ingesting those files at once (aggregate throughput), over csv-parse parse-only of the same
   * files, one process each, run at once on the same cores.
   */
  busyWorkerVsParseOnly?: number | null;
  /** CPU-seconds per GiB of that busy worker over csv-parse parse-only's (lower is better). */
  cpuPerGiBVsParseOnly?: number | null;
  targets: Target[];
  fastestOtherTokenizer?: { engine: string; mbPerSec: number; file: string };
  rows: Row[];
  workflow?: WorkflowCycleResult | { error: string };
  /**
   * Event-to-output lag of the real-time channel with a one-minute schedule, p95 in seconds (`--realtime`); the
   * hourly EventLogFile channel's is 3-6 h by Salesforce's own figure.
   */
  realtimeLagP95Seconds?: number | null;
  realtime?: RealtimeLagResult | { error: string };
  /** Each sink's throughput on one URI file, relative to the file sink (`--sinks`). */
  sinks?: { sizeMb: number; rows: SinkRow[] } | { error: string };
  notes: string[];
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** Fills in the ratios of elfstream rows, in place. */
export function addRatios(rows: Row[], cores: number): void {
  for (const r of rows) {
    if ((r.kind !== 'elfstream' && r.kind !== 'diagnostic') || r.mbPerSec === null) continue;
    const ceiling = rows.find((c) => c.file === r.file && c.kind === 'ceiling');
    if (ceiling?.mbPerSec) r.vsParseOnly = round(r.mbPerSec / ceiling.mbPerSec);
    if (ceiling?.cpuSeconds && r.cpuSeconds) r.cpuVsParseOnly = round(ceiling.cpuSeconds / r.cpuSeconds);
    if (r.kind === 'diagnostic') continue;
    if (ceiling && r.cpuSeconds && r.simulatorCpuSeconds) {
      r.cpuBoundVsParseOnly = round(ceiling.seconds / ((r.cpuSeconds + r.simulatorCpuSeconds) / cores));
    }
    const naiveHere = rows.find((c) => c.file === r.file && c.kind === 'naive');
    // Where the naive approach failed (1 GiB), its throughput on the smaller file of the same type is the basis.
    const naive =
      naiveHere?.mbPerSec != null
        ? naiveHere
        : rows.find((c) => c.eventType === r.eventType && c.kind === 'naive' && c.mbPerSec !== null);
    if (naive?.mbPerSec) {
      r.vsNaive = round(r.mbPerSec / naive.mbPerSec);
      r.naiveBasis = naive.file;
    }
    if (naiveHere) r.naiveRssOverElfstream = round(naiveHere.peakRssMb / r.peakRssMb);
  }
}

/** The ratios of the busy-worker measurement: throughput and CPU cost per GiB, each over csv-parse's. */
export function busyWorkerRatios(
  rows: Row[],
  busyFiles: string,
): { busyWorkerVsParseOnly: number | null; cpuPerGiBVsParseOnly: number | null } {
  const e = rows.find((r) => r.file === busyFiles && r.kind === 'elfstream' && r.mbPerSec !== null);
  const ceiling = rows.find((r) => r.file === busyFiles && r.kind === 'ceiling' && r.mbPerSec !== null);
  // Both read the same bytes, so CPU per GiB divides as CPU seconds do.
  const cpu = e?.cpuSeconds && ceiling?.cpuSeconds ? round(e.cpuSeconds / ceiling.cpuSeconds) : null;
  return { busyWorkerVsParseOnly: e?.vsParseOnly ?? null, cpuPerGiBVsParseOnly: cpu };
}

/** The targets: of the headline file and of the busy worker. */
export function targetsFor(rows: Row[], headlineFile: string, busyFiles?: string): Target[] {
  const e = rows.find((r) => r.file === headlineFile && r.kind === 'elfstream' && r.gzipOutput === false);
  const naiveHere = rows.find((r) => r.file === headlineFile && r.kind === 'naive');
  const rss = e?.peakRssMb ?? null;
  return [
    {
      name: `elfstream / csv-parse parse-only throughput (${headlineFile}, gzip output off)`,
      value: e?.vsParseOnly ?? null,
      target: '>= 0.8',
      pass: (e?.vsParseOnly ?? 0) >= 0.8,
    },
    {
      name: `elfstream peak RSS MB (${headlineFile}, gzip output off)`,
      value: rss,
      target: '<= 200',
      pass: rss !== null && rss <= 200,
    },
    {
      name: `elfstream / naive throughput (naive on ${e?.naiveBasis ?? '?'})`,
      value: e?.vsNaive ?? null,
      target: '> 1',
      pass: (e?.vsNaive ?? 0) > 1,
    },
    {
      name: `naive / elfstream peak RSS (${headlineFile}${naiveHere?.error ? ', naive failed' : ''})`,
      value: e?.naiveRssOverElfstream ?? null,
      target: '> 1',
      pass: (e?.naiveRssOverElfstream ?? 0) > 1,
    },
    ...(busyFiles === undefined ? [] : busyTargets(rows, busyFiles)),
  ];
}

function busyTargets(rows: Row[], busyFiles: string): Target[] {
  const { busyWorkerVsParseOnly, cpuPerGiBVsParseOnly } = busyWorkerRatios(rows, busyFiles);
  return [
    {
      name: `busy worker (${busyFiles} at once, one process) / csv-parse parse-only of the same files at once`,
      value: busyWorkerVsParseOnly,
      target: '>= 0.8',
      pass: (busyWorkerVsParseOnly ?? 0) >= 0.8,
    },
    {
      name: `CPU-seconds per GiB, busy worker / csv-parse parse-only (${busyFiles})`,
      value: cpuPerGiBVsParseOnly,
      target: '<= 1.3',
      pass: cpuPerGiBVsParseOnly !== null && cpuPerGiBVsParseOnly <= 1.3,
    },
  ];
}

const fmt = (x: number | null | undefined, digits = 1): string => (x == null ? '-' : x.toFixed(digits));

function rowCells(r: Row): string[] {
  const name = r.gzipOutput === undefined ? r.measurement : `${r.measurement}, gzip ${r.gzipOutput ? 'on' : 'off'}`;
  return [
    r.file,
    name,
    r.error ? 'failed' : fmt(r.mbPerSec),
    r.error ? '-' : r.rowsPerSec === null ? '-' : Math.round(r.rowsPerSec).toLocaleString('en-US'),
    fmt(r.peakRssMb, 0),
    fmt(r.seconds),
    fmt(r.cpuSeconds),
    fmt(r.simulatorCpuSeconds),
    fmt(r.otherCpuSeconds),
    r.vsParseOnly === undefined ? '' : `${r.vsParseOnly.toFixed(2)}x`,
    r.vsNaive === undefined ? '' : `${r.vsNaive.toFixed(2)}x${r.naiveBasis !== r.file ? ` (vs ${r.naiveBasis})` : ''}`,
    r.error
      ? `failed: ${r.error}`
      : r.runsMbPerSec
        ? `median of ${r.runsMbPerSec.map((v) => fmt(v)).join(', ')} MB/s`
        : '',
  ];
}

const HEADER = [
  'file',
  'measurement',
  'MB/s',
  'rows/s',
  'peak RSS MB',
  's',
  'CPU s',
  'sim CPU s',
  'other CPU s',
  'vs csv-parse',
  'vs naive',
  'note',
];
/** Columns aligned right. */
const NUMERIC = new Set([2, 3, 4, 5, 6, 7, 8, 9]);

/** The table for the terminal. */
export function renderTable(report: BenchReport): string {
  const cells = [HEADER, ...report.rows.map(rowCells)];
  const widths = HEADER.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string =>
    c
      .map((v, i) => (NUMERIC.has(i) ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(cells[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  out.push('', ...renderSummary(report));
  return out.join('\n');
}

function renderSummary(report: BenchReport): string[] {
  const lines = [
    `headline (${report.headlineFile}, gzip output off): elfstreamVsParseOnly ${fmt(report.elfstreamVsParseOnly, 2)}, ` +
      `elfstreamVsNaive ${fmt(report.elfstreamVsNaive, 2)}, elfstreamPeakRssMb ${fmt(report.elfstreamPeakRssMb, 0)}`,
    `diagnostics: CPU cost csv-parse / elfstream ${fmt(report.elfstreamCpuVsParseOnly, 2)}, ` +
      `best ratio that CPU cost allows on ${report.machine.cores} idle cores with the simulator ` +
      `${fmt(report.elfstreamCpuBoundVsParseOnly, 2)}, elfstream from disk / csv-parse ` +
      `${fmt(report.elfstreamFromDiskVsParseOnly, 2)}, csv-parse over the download / csv-parse from disk ` +
      `${fmt(report.parseOverDownloadVsParseOnly, 2)}, elfstream in one thread / csv-parse ` +
      `${fmt(report.elfstreamOneThreadVsParseOnly, 2)}, elfstream's parser alone / csv-parse ` +
      `${fmt(report.elfstreamParserVsParseOnly, 2)}`,
    ...(report.busyWorkerFiles === undefined
      ? []
      : [
          `busy worker (${report.busyWorkerFiles} at once): busyWorkerVsParseOnly ` +
            `${fmt(report.busyWorkerVsParseOnly, 2)}, cpuPerGiBVsParseOnly ${fmt(report.cpuPerGiBVsParseOnly, 2)}`,
        ]),
    ...report.targets.map((t) => `${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${fmt(t.value, 2)} (target ${t.target})`),
  ];
  if (report.fastestOtherTokenizer) {
    const f = report.fastestOtherTokenizer;
    lines.push(`fastest other tokenizer: ${f.engine}, ${f.mbPerSec.toFixed(1)} MB/s on ${f.file} (parse only)`);
  }
  const w = report.workflow;
  if (w && 'error' in w) lines.push(`workflow cycle: failed: ${w.error}`);
  else if (w) lines.push(...renderWorkflow(w));
  const sinks = report.sinks;
  if (sinks && 'error' in sinks) lines.push(`sinks: failed: ${sinks.error}`);
  else if (sinks) lines.push('', renderSinksTable(sinks.rows, sinks.sizeMb));
  return lines;
}

function renderWorkflow(w: WorkflowCycleResult): string[] {
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  return [
    `workflow cycle: ${w.files} files (${w.rows} rows), concurrency ${w.concurrency}: ${w.cycleSeconds.toFixed(1)} s, ` +
      `${w.filesPerSecond.toFixed(1)} files/s`,
    `  per file (parent's view, child initiated .. completed): mean ${w.perFile.meanMs.toFixed(0)} ms, ` +
      `p50 ${w.perFile.p50Ms.toFixed(0)}, p95 ${w.perFile.p95Ms.toFixed(0)}`,
    `  in the ingest activity: mean ${w.activity.meanMs.toFixed(0)} ms (p95 ${w.activity.p95Ms.toFixed(0)}); ` +
      `in Temporal: mean ${w.temporal.meanMs.toFixed(0)} ms (p95 ${w.temporal.p95Ms.toFixed(0)}), of which ` +
      `the file workflow's workflow tasks ran ${w.workflowTaskRun.meanMs.toFixed(0)} ms on the worker and waited ` +
      `${w.workflowTaskQueue.meanMs.toFixed(0)} ms for it, the activity waited ${w.activityQueue.meanMs.toFixed(1)} ms ` +
      'for dispatch, the rest is the server (child start, result delivery to the parent)',
    `  summed over files: activities ${s(w.activity.totalMs)}, Temporal ${s(w.temporal.totalMs)} ` +
      `(${(w.activityShare * 100).toFixed(0)}% in activities); login+listing activities ${s(w.metadataActivityMs)}; ` +
      `worker slots busy ${(w.slotUtilization * 100).toFixed(0)}%`,
    `  peak RSS: the child running worker, client and workflow bundler ${(w.workerPeakRssBytes / 2 ** 20).toFixed(0)} MB` +
      (w.devServerPeakRssBytes ? `, dev server ${(w.devServerPeakRssBytes / 2 ** 20).toFixed(0)} MB` : ''),
  ];
}

function markdownTable(report: BenchReport): string {
  const esc = (v: string): string => v.replace(/\|/g, '\\|');
  const lines = [
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (NUMERIC.has(i) ? ' ---: ' : ' --- ')).join('|')}|`,
  ];
  for (const r of report.rows) lines.push(`| ${rowCells(r).map(esc).join(' | ')} |`);
  return lines.join('\n');
}

/** PERFORMANCE.md, generated from the report. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const w = report.workflow;
  return [
    '# Performance',
    '',
    `<!-- Generated by \`${report.command} --write\` (scripts/bench.ts); do not edit by hand. -->`,
    '',
    `Recorded ${report.startedAt} with \`${report.command}\` (${report.durationSeconds.toFixed(0)} s) on ` +
      `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node} (${m.platform}), from commit ` +
      `${report.commit ?? '(not recorded)'}.`,
    '',
    '**Figures are machine-dependent: compare the ratios**, which are measured in the same run, on the same machine ' +
      'and the same generated files. MB = 2^20 bytes of CSV; rows/s are data rows; peak RSS is the measuring ' +
      "process's own high-water mark (VmHWM, sampled every 50 ms), each measurement in a process of its own. The " +
      'two measurements the headline ratio divides (csv-parse alone and elfstream with gzip output off, on the ' +
      'headline file) run five times each; their rows are the median run, and the note lists every run.',
    '',
    '## Targets',
    '',
    `Headline: ${report.headlineFile}, elfstream with gzip output off.`,
    '',
    '| target | value | wanted | |',
    '| --- | ---: | --- | --- |',
    ...report.targets.map((t) => `| ${t.name} | ${fmt(t.value, 2)} | ${t.target} | ${t.pass ? 'PASS' : 'FAIL'} |`),
    '',
    '```json',
    JSON.stringify(
      {
        headlineFile: report.headlineFile,
        elfstreamVsParseOnly: report.elfstreamVsParseOnly,
        elfstreamVsNaive: report.elfstreamVsNaive,
        elfstreamPeakRssMb: report.elfstreamPeakRssMb,
        elfstreamCpuVsParseOnly: report.elfstreamCpuVsParseOnly,
        elfstreamCpuBoundVsParseOnly: report.elfstreamCpuBoundVsParseOnly,
        elfstreamFromDiskVsParseOnly: report.elfstreamFromDiskVsParseOnly,
        parseOverDownloadVsParseOnly: report.parseOverDownloadVsParseOnly,
        elfstreamOneThreadVsParseOnly: report.elfstreamOneThreadVsParseOnly,
        elfstreamParserVsParseOnly: report.elfstreamParserVsParseOnly,
        ...(report.busyWorkerFiles === undefined
          ? {}
          : {
              busyWorkerFiles: report.busyWorkerFiles,
              busyWorkerVsParseOnly: report.busyWorkerVsParseOnly,
              cpuPerGiBVsParseOnly: report.cpuPerGiBVsParseOnly,
            }),
      },
      null,
      2,
    ),
    '```',
    '',
    '## Throughput and memory',
    '',
    markdownTable(report),
    '',
    'What each row measures:',
    '',
    '- **download**: `SalesforceClient.openLogFile` from the simulator (a child process, over loopback, serving the ' +
      'file gzip-compressed), gunzipped to a temp file. The bytes every other row reads. The simulator stores each ' +
      "file's blob once before the measurements (`storeFile`), as Salesforce serves stored files: generating and " +
      'compressing it afresh for every download would take a core from the client it measures (**sim CPU s**).',
    '- **csv-parse (parse only)**: the ceiling. csv-parse 6 (stream API, default options, records counted and ' +
      'dropped) over the downloaded file, from disk: no network, no normalization, no output.',
    '- **udsv / papaparse (parse only)**: the fastest JavaScript CSV tokenizers in the registry, for reference, same ' +
      'way (string arrays, rows counted and dropped); on the 1 GiB files only the faster of the two on 100 MB.',
    "- **naive**: what peers do: jsforce's blob API (`record(id).blob('LogFile')`, gzip), the whole body in memory, " +
      "then csv-parse's synchronous API into objects (`columns: true`, as jsforce parses `text/csv`).",
    "- **elfstream**: the ingest activity's path: `getFieldLayout`, `openLogFile` (gzip) through a byte-counting " +
      'Transform, `runIngest` (parse, normalize, row ids) into the file sink (durable commits, `chunkRows` 50,000), ' +
      'with the sink writing gzip or plain NDJSON. Rows are normalized (row ids, JSON) in a worker thread while the ' +
      'main thread parses (`offload: auto`, the default, once 8 MiB are read, while the process has a spare core); ' +
      'the parser hands them over as UTF-8 bytes it never decodes, and with plain output the worker also hashes the ' +
      "chunks for the sink's manifest.",
    '- Diagnostics (URI files): **csv-parse over the download** is csv-parse fed by `openLogFile`: the ceiling of ' +
      "any pipeline in this setup. **elfstream's parser alone** is its parsing step (`LogFileParser`: its own CSV " +
      'tokenizer, row numbers, malformed-row handling, values packed as bytes for the normalizer) over the file ' +
      'from disk, records dropped. **elfstream from disk** is the same `runIngest` reading the downloaded CSV from ' +
      'disk: the pipeline without HTTP and gunzip. **elfstream in one thread** is elfstream with `offload: never`: ' +
      'what the ingest worker thread adds.',
    `- **Busy worker** (${report.busyWorkerFiles ?? 'URI files'} at once): a worker runs several ingest ` +
      'activities at once, so a core is rarely spare. **elfstream busy worker** is one process ingesting the files ' +
      'at once (as `elfstream` above, into one sink); **csv-parse (parse only), at once** is one csv-parse process ' +
      'per file, all started together on the same cores. Throughput is all bytes over the time until the last file ' +
      'is done; CPU s is summed over the processes. `busyWorkerVsParseOnly` divides the throughputs, ' +
      '`cpuPerGiBVsParseOnly` the CPU-seconds per GiB (elfstream over csv-parse).',
    "- **CPU s** is the measuring process's CPU time (all threads) over the measured span; **sim CPU s** the " +
      "simulator child's meanwhile; **other CPU s** what every other process of the machine used meanwhile (busy time " +
      'of all cores from /proc/stat, less the above): where it is large, other work competed for the cores and the ' +
      'wall-clock figures of that row are noisy.',
    '',
    ...(report.fastestOtherTokenizer
      ? [
          `Fastest other tokenizer: ${report.fastestOtherTokenizer.engine} ` +
            `(${report.fastestOtherTokenizer.mbPerSec.toFixed(1)} MB/s on ${report.fastestOtherTokenizer.file}).`,
          '',
        ]
      : []),
    ...(report.sinks === undefined
      ? []
      : [
          '## Sinks',
          '',
          'error' in report.sinks
            ? `Failed: ${report.sinks.error}`
            : renderSinksTable(report.sinks.rows, report.sinks.sizeMb),
          '',
          "elfstream's ingest path on one URI file into each sink: the file sink (gzip), s3 (gzip, versitygw on " +
            'loopback), kafka (a KRaft broker on loopback, one transaction per chunk) and http with the panther preset ' +
            '(gzip, HMAC, into a receiver on loopback that reads and drops the bodies). The servers share the two ' +
            "cores with elfstream, so the ratios include their CPU: a remote server's are higher.",
          '',
        ]),
    '## Workflow overhead',
    '',
    ...(w === undefined
      ? ['Not measured in this run.']
      : 'error' in w
        ? [`Failed: ${w.error}`]
        : [
            `One poll cycle of a source over ${w.files} small files of one event type (${w.rows} rows), on a Temporal ` +
              `dev server (headless, in memory) with the real worker, concurrency ${w.concurrency}:`,
            '',
            '```',
            ...renderWorkflow(w),
            '```',
            '',
            'Per file, the source workflow sees its child workflow from `StartChildWorkflowExecutionInitiated` to ' +
              '`ChildWorkflowExecutionCompleted`; of that, the ingest activity ran from `ActivityTaskStarted` to ' +
              '`ActivityTaskCompleted` (file workflow histories). The rest is Temporal: starting the child, ' +
              'workflow tasks, scheduling and dispatching the activity, reporting results.',
          ]),
    '',
    ...(report.notes.length ? ['## Notes', '', ...report.notes.map((n) => `- ${n}`), ''] : []),
    '## Reproduce',
    '',
    '```',
    'npm run bench -- --json --write   # full run (100 MB and 1 GiB files, workflow cycle), rewrites this file',
    "npm run -s bench -- --json        # JSON only on stdout (-s drops npm's banner)",
    'npm run bench -- --quick          # 100 MB files only (busy worker: 4 × 32 MB), 100-file workflow cycle',
    'npm run bench -- --no-busy        # without the busy-worker measurement',
    'npm run bench -- --sinks          # also each sink on the 1 GiB URI file (--sinks-mb N for another size)',
    'npm run bench -- --cpu-prof       # also writes CPU profiles of the elfstream runs to test-output/bench-profiles',
    'npm run bench -- --from test-output/bench-report.json --write   # re-render a saved run',
    '```',
    '',
  ].join('\n');
}
