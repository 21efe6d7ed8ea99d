import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import type { SourceConfig } from '../../config/types';
import { backfillFilesDone, describeBackfillProgress } from '../../workflows/backfill-progress';
import { backfillWorkflowId } from '../../workflows/ids';
import { backfillSignal, type BackfillProgress, type BackfillRequest } from '../../workflows/messages';
import { eventTypeProblem, eventTypeWarning } from '../../salesforce/event-types';
import { MAX_RETENTION_MS, validateBackfill } from '../../workflows/source-state';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { salesforceClient } from '../lazy';
import { configOption } from '../options';
import { ledgerProblem, namespaceRetentionMs } from '../ledger-retention';
import { LiveLines, println, progressBar } from '../output';
import { signalSource, viewSource } from '../source-workflow';

interface BackfillOptions extends ConfigOptions {
  from: string;
  to: string;
  types?: string;
  wait?: boolean;
  reingest?: boolean;
}

/** How often `--wait` asks the source for progress. */
const POLL_MS = 1_000;
/** A rejection the workflow records can carry a timestamp a little before ours (clocks of two processes). */
const CLOCK_SLACK_MS = 5_000;

/** `elfstream backfill <source> --from --to [--types] [--wait]`: ingests a past LogDate range. */
export function registerBackfill(program: Command, io: CliIo): void {
  program
    .command('backfill')
    .description('ingest the EventLogFiles of a past LogDate range [from, to) of a source (signal backfill)')
    .argument('<source>', 'source id')
    .requiredOption('--from <iso>', 'first LogDate included: 2026-11-20 or 2026-11-20T06:00:00Z')
    .requiredOption('--to <iso>', 'LogDate strictly before this')
    .option('--types <types>', "comma-separated event types (default: the source's), e.g. Login,URI")
    .option('--wait', 'follow the backfill with a progress bar until it completes or fails')
    .option(
      '--reingest',
      "accept that files older than the namespace's retention, which the ledger may have forgotten, are written again",
    )
    .addOption(configOption())
    .addHelpText(
      'after',
      '\nFiles the source already ingested are skipped (the per-file ledger); the live checkpoint does not move.\n' +
        'Ranges older than the org keeps files (sources[].retention, 30 days by default) are refused, and so are\n' +
        "ranges older than the namespace's retention (the ledger's memory) unless --reingest is given: see\n" +
        'docs/retention.md. With --wait the exit code is 0 when the backfill completed and 1 when it failed or\n' +
        'the source rejected it.',
    )
    .action(async (id: string, opts: BackfillOptions) => {
      // Everything that can be checked here is checked before the config or the server is touched: a typo
      // should not need a running cluster to be reported.
      parseRequest(opts, Date.now(), MAX_RETENTION_MS);
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      const request = parseRequest(opts, Date.now(), source.retentionMs);
      for (const type of request.eventTypes ?? []) {
        const warning = eventTypeWarning(type);
        if (warning !== undefined) io.stderr.write(`warning: --types: ${warning}\n`);
      }
      const backfillId = backfillWorkflowId(source.id, request.from, request.to, request.eventTypes);
      await withClient(config.temporal, async (client) => {
        const { namespace } = config.temporal;
        const forgotten = ledgerProblem(
          namespace,
          await namespaceRetentionMs(client, namespace),
          Date.parse(request.from),
          Date.now(),
        );
        if (forgotten && !opts.reingest) throw new CliError(forgotten, ExitCode.failure);
        if (forgotten) println(io.stdout, `--reingest: ${forgotten.replace(/^backfill refused: /, '')}`);
        const sentAt = Date.now();
        await signalSource(client, source.id, backfillSignal, request);
        const types = request.eventTypes ? request.eventTypes.join(', ') : "the source's event types";
        println(io.stdout, `${source.id}: backfill requested for LogDate ${request.from} → ${request.to} (${types})`);
        println(io.stdout, `backfill workflow: ${backfillId}`);
        if (!opts.wait) {
          println(io.stdout, `follow it with \`elfstream status ${source.id}\` (or run backfill again with --wait)`);
          return;
        }
        const outcome = await follow(io, client, source.id, request, backfillId, sentAt);
        if (outcome.filesListed === 0) println(io.stdout, await emptyRangeNote(source, request));
      });
    });
}

/** Validates the options into the signal's payload; every problem is a usage error (exit code 2). */
export function parseRequest(
  opts: { from: string; to: string; types?: string },
  nowMs = Date.now(),
  retentionMs?: number,
): BackfillRequest {
  const from = parseInstant('--from', opts.from);
  const to = parseInstant('--to', opts.to);
  const eventTypes = opts.types
    ?.split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
  if (opts.types !== undefined && (!eventTypes || eventTypes.length === 0)) {
    throw new CliError('--types needs at least one event type, e.g. --types Login,URI', ExitCode.usage);
  }
  // A misspelt type gets its did-you-mean here: the workflow judges names by their shape only.
  for (const t of eventTypes ?? []) {
    const problem = t === '*' ? undefined : eventTypeProblem(t);
    if (problem) throw new CliError(`--types: ${problem}`, ExitCode.usage);
  }
  const request: BackfillRequest = { from, to, ...(eventTypes ? { eventTypes } : {}) };
  // The rules the workflow applies, with the source's own retention, so a request for files the org no longer
  // keeps never leaves the command line.
  const problem = validateBackfill(request, nowMs, { retentionMs });
  if (problem) throw new CliError(problem, ExitCode.usage);
  return request;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 date (midnight UTC) or an instant with a zone, normalized to `2026-11-20T00:00:00.000Z`. */
function parseInstant(flag: string, value: string): string {
  const v = value.trim();
  if (!ISO_DATE.test(v) && !ISO_INSTANT.test(v)) {
    const hint = /^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(v) ? ` (add the zone: ${v}Z for UTC)` : '';
    throw new CliError(
      `${flag} must be an ISO-8601 date or instant such as 2026-11-20 or 2026-11-20T06:00:00Z, got "${value}"${hint}`,
      ExitCode.usage,
    );
  }
  const ms = Date.parse(ISO_DATE.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(ms)) throw new CliError(`${flag} is not a valid date: "${value}"`, ExitCode.usage);
  return new Date(ms).toISOString();
}

/**
 * Follows the backfill through the source's `status.backfills` until it completes or fails. The source may also
 * have refused the request (recorded in `status.lastError`): rejected outright, or because a backfill with the same
 * id ran before, in which case that workflow's own outcome is the answer.
 */
async function follow(
  io: CliIo,
  client: Client,
  sourceId: string,
  request: BackfillRequest,
  backfillId: string,
  sentAt: number,
): Promise<BackfillProgress> {
  const live = new LiveLines(io.stdout);
  const show = (text: string): void => live.update([text]);
  try {
    for (;;) {
      const view = await viewSource(client, sourceId, 10_000);
      if (!view.running) throw new CliError(`${sourceId} stopped while the backfill was requested`, ExitCode.failure);
      if (!view.status) {
        show(`waiting: ${view.problem}`);
      } else {
        const s = view.status;
        const entry = s.backfills.find((b) => b.backfillId === backfillId);
        const queued = (s.queuedBackfills ?? []).some((q) => sameRange(q, request));
        const err = s.lastError && Date.parse(s.lastError.at) >= sentAt - CLOCK_SLACK_MS ? s.lastError : undefined;
        if (entry) {
          show(progressText(entry));
          if (entry.state === 'completed') return entry;
          if (entry.state === 'failed') throw new CliError(`backfill failed: ${entry.error ?? 'see the Web UI'}`);
        } else if (queued) {
          show('queued: the source starts it after its current step');
        } else if (err && err.message.startsWith('backfill rejected')) {
          throw new CliError(`the source rejected the backfill: ${err.message}`);
        } else if (err && err.message.includes(backfillId)) {
          // Same range asked before: that earlier workflow is this request's answer.
          const done = await followEarlier(client, backfillId, show);
          if (done) return done;
        } else {
          show('requested: waiting for the source to pick it up');
        }
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    live.done();
  }
}

function sameRange(b: { from: string; to: string }, r: BackfillRequest): boolean {
  return Date.parse(b.from) === Date.parse(r.from) && Date.parse(b.to) === Date.parse(r.to);
}

function progressText(p: BackfillProgress): string {
  const bar = progressBar(backfillFilesDone(p), p.filesListed);
  return `${p.state.padEnd(9)} ${bar} ${describeBackfillProgress(p, Date.now(), false)}`;
}

/** Returns the earlier backfill's outcome once it completed; throws when it failed; undefined while it still runs. */
async function followEarlier(
  client: Client,
  backfillId: string,
  show: (t: string) => void,
): Promise<BackfillProgress | undefined> {
  const handle = client.workflow.getHandle(backfillId);
  try {
    const d = await handle.describe();
    if (d.status.name === 'RUNNING') {
      show(`running (requested earlier as ${backfillId})`);
      return undefined;
    }
    if (d.status.name === 'COMPLETED') {
      const result = (await handle.result()) as BackfillProgress;
      show(progressText(result));
      if (result.state === 'failed') throw new CliError(`backfill failed: ${result.error ?? 'see the Web UI'}`);
      return result;
    }
    throw new CliError(`the same backfill ran before and ended ${d.status.name.toLowerCase()} (${backfillId})`);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * Why a completed backfill found nothing: asks the org which LogDates have files of these types, so the user can
 * pick a range that has some (Salesforce keeps them 30 days).
 */
async function emptyRangeNote(source: SourceConfig, request: BackfillRequest): Promise<string> {
  const types = request.eventTypes ?? source.eventTypes;
  const what = types.includes('*') ? 'EventLogFiles' : `${types.join(', ')} files`;
  const head = `no ${what} have a LogDate in ${day(request.from)} → ${day(request.to)}`;
  const { SalesforceClient } = salesforceClient();
  try {
    const range = await SalesforceClient.forSource(source).logDateRange({ eventTypes: types });
    if (!range) return `${head}, nor any other date: the org has none (is Event Monitoring on for these types?)`;
    const next = new Date(Date.parse(range.last) + 24 * 3600_000).toISOString();
    return (
      `${head}; the org has them for LogDates ${day(range.first)} … ${day(range.last)}, e.g.\n` +
      `  elfstream backfill ${source.id} --from ${day(range.last)} --to ${day(next)} --wait`
    );
  } catch (err) {
    return `${head} (which dates have files could not be asked: ${err instanceof Error ? err.message : String(err)})`;
  }
}

function day(iso: string): string {
  return iso.slice(0, 10);
}
