import type { Command } from 'commander';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { configOption, jsonOption } from '../options';
import { formatTable, printJson, println } from '../output';
import { REALTIME_HEADERS, realtimeRows, viewRealtime } from '../realtime-workflow';
import {
  notRunningError,
  STATUS_HEADERS,
  statusNotes,
  statusRow,
  viewSource,
  wrapText,
  type SourceView,
} from '../source-workflow';

interface StatusOptions extends ConfigOptions {
  json?: boolean;
}

/** `elfstream status [source]`: the `status` query of one or every configured source, as a table or JSON. */
export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description(
      "show each source's state, health (ok or failing, since when), checkpoint, totals (backfills included), next run, " +
        'errors in full and running backfills (its `status` query)',
    )
    .argument('[source]', 'one source id (default: every configured source)')
    .addOption(configOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nWith --json, prints the raw status object of each running source (an array, or one object when a\n' +
        'source is named); a source that does not run appears as {"sourceId", "running": false, "closed"}.\n' +
        'Naming a source that is not running exits with code 4; a status no worker answered, with code 1.',
    )
    .action(async (id: string | undefined, opts: StatusOptions) => {
      const config = await loadCliConfig(io, opts);
      const sources = id ? [findSource(config, id)] : config.sources;
      const [views, realtime] = await withClient(config.temporal, (client) =>
        Promise.all([
          Promise.all(sources.map((s) => viewSource(client, s.id))),
          Promise.all(sources.map((s) => (s.realtime ? viewRealtime(client, s.id) : undefined))),
        ]),
      );
      // The real-time channel's status rides along under `realtime` (the status object, or why there is none).
      const withRealtime = (v: SourceView | undefined, i: number): unknown => {
        const json = jsonOf(v);
        const rt = realtime[i];
        if (!rt || !json || typeof json !== 'object') return json;
        return { ...json, realtime: 'status' in rt ? rt.status : { running: rt.running, problem: rt.problem } };
      };
      if (opts.json) printJson(io.stdout, id ? withRealtime(views[0], 0) : views.map(withRealtime));
      else if (views.length === 0) println(io.stdout, `${config.configPath} defines no sources`);
      else {
        println(
          io.stdout,
          formatTable(
            STATUS_HEADERS,
            views.map((v) => statusRow(v)),
          ),
        );
        const notes = views.flatMap((v) => statusNotes(v));
        if (notes.length > 0) println(io.stdout);
        // In full: wrapped to a terminal's width, one line each in a pipe or a log (for grep).
        const width = io.stdout.isTTY ? io.stdout.columns : undefined;
        for (const note of notes) println(io.stdout, (width ? wrapText(note, width) : [note]).join('\n'));
      }
      const realtimeTable = sources.flatMap((s, i) => {
        const rt = realtime[i];
        return rt ? realtimeRows(s.id, rt) : [];
      });
      if (!opts.json && realtimeTable.length > 0)
        println(io.stdout, `\nReal-time channel:\n${formatTable(REALTIME_HEADERS, realtimeTable)}`);

      const one = views[0];
      if (id && one && !one.running) {
        // The table (or JSON) already says it; the message adds the way out on stderr.
        throw notRunningError(one.sourceId, one.closed);
      }
      if (views.some((v) => v.running && !v.status)) throw new CliError('', ExitCode.failure);
    });
}

/** `--json`: the status object itself for a running source (what scripts want), else why there is none. */
function jsonOf(v: SourceView | undefined): unknown {
  if (!v) return null;
  if (v.running && v.status) return v.status;
  if (v.running) return { sourceId: v.sourceId, running: true, error: v.problem };
  return { sourceId: v.sourceId, running: false, closed: v.closed, closedAt: v.closedAt };
}
