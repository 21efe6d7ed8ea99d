import { WorkflowNotFoundError } from '@temporalio/client';
import type { Command } from 'commander';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { configOption } from '../options';
import { println } from '../output';
import { stopRealtime } from '../realtime-workflow';
import { describeSource, notRunningError, sourceHandle } from '../source-workflow';

const LEDGER_NOTE =
  'The stopped workflow keeps its checkpoint and ledger as its result: a later `elfstream start` carries on from\n' +
  'there (use `pause` for short breaks). Files that completed are never ingested again (one ledger workflow per file).';

/** `elfstream stop <source>`: cancels the source's workflow. */
export function registerStop(program: Command, io: CliIo): void {
  program
    .command('stop')
    .description('stop a source: cancel its workflow (files being ingested are cancelled too)')
    .argument('<source>', 'source id')
    .addOption(configOption())
    .addHelpText('after', `\n${LEDGER_NOTE}\nTo stop polling for a while instead, use \`pause\`.`)
    .action(async (id: string, opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      let realtimeStopped = false;
      await withClient(config.temporal, async (client) => {
        // The real-time channel stops with its source, whether or not the source workflow still runs.
        realtimeStopped = await stopRealtime(client, source.id);
        const d = await describeSource(client, source.id);
        if (!d.running && realtimeStopped) return;
        if (!d.running) throw notRunningError(source.id, d.closed);
        try {
          await sourceHandle(client, source.id).cancel();
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw notRunningError(source.id);
          throw err;
        }
      });
      println(io.stdout, `${source.id}: cancellation requested; the workflow stops once a worker handles it.`);
      if (realtimeStopped) println(io.stdout, `${source.id}: real-time channel stopped too; its cursors are kept.`);
      println(io.stdout, LEDGER_NOTE);
    });
}
