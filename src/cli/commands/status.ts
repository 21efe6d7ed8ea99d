import type { Command } from 'commander';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { configOption, jsonOption } from '../options';
import { formatTable, printJson, println } from '../output';
import { notRunningError, STATUS_HEADERS, statusRow, viewSource, type SourceView } from '../source-workflow';

interface StatusOptions extends ConfigOptions {
  json?: boolean;
}

/** `elfstream status [source]`: the `status` query of one or every configured source, as a table or JSON. */
export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description("show each source's state, checkpoint, totals, next run and last error (its `status` query)")
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
      const views = await withClient(config.temporal, (client) =>
        Promise.all(sources.map((s) => viewSource(client, s.id))),
      );
      if (opts.json) printJson(io.stdout, id ? jsonOf(views[0]) : views.map(jsonOf));
      else if (views.length === 0) println(io.stdout, `${config.configPath} defines no sources`);
      else
        println(
          io.stdout,
          formatTable(
            STATUS_HEADERS,
            views.map((v) => statusRow(v)),
          ),
        );

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
