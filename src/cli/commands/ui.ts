import { spawn } from 'node:child_process';
import { Option, type Command } from 'commander';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { configOption } from '../options';
import { formatTable, println } from '../output';
import { webUiViews, webUiViewUrl } from '../web-ui-views';

interface UiOptions extends ConfigOptions {
  uiUrl: string;
  view?: string;
  open?: boolean;
}

/** Where `temporal server start-dev` serves its Web UI by default. */
const DEFAULT_UI_URL = 'http://localhost:8233';

/** `elfstream ui [source]`: the Web UI's list views (sources, files, failed files, running backfills) as URLs. */
export function registerUi(program: Command, io: CliIo): void {
  program
    .command('ui')
    .description('print (or open) the Web UI pages an operator needs: sources, files, failed files, running backfills')
    .argument('[source]', 'only this source')
    .addOption(configOption())
    .addOption(new Option('--ui-url <url>', 'the Temporal Web UI').env('ELFSTREAM_UI_URL').default(DEFAULT_UI_URL))
    .addOption(new Option('--view <view>', 'print only this view').choices(['sources', 'files', 'failed', 'backfills']))
    .option('--open', 'open the view (default: the sources) in the browser (xdg-open / open)')
    .addHelpText(
      'after',
      '\nEach view is a visibility query: paste it into the Web UI search box, or run\n' +
        '`temporal workflow list --query \'<query>\'`. Files of one event type: add AND ElfEventType="URI".',
    )
    .action(async (id: string | undefined, opts: UiOptions) => {
      const config = await loadCliConfig(io, opts);
      if (id) findSource(config, id);
      const views = webUiViews(id).filter((v) => !opts.view || v.name === opts.view);
      const urls = views.map((v) => webUiViewUrl(opts.uiUrl, config.temporal.namespace, v));
      if (opts.open) {
        await openInBrowser(urls[0]!);
        println(io.stdout, `opened ${urls[0]}`);
        return;
      }
      if (opts.view) {
        println(io.stdout, urls[0]);
        return;
      }
      println(
        io.stdout,
        formatTable(
          ['VIEW', 'URL'],
          views.map((v, i) => [v.title, urls[i]!]),
        ),
      );
      println(io.stdout);
      for (const v of views) println(io.stdout, `${v.title}: ${v.query}`);
    });
}

function openInBrowser(url: string): Promise<void> {
  const command = process.platform === 'darwin' ? 'open' : 'xdg-open';
  return new Promise((resolve, reject) => {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.once('error', (err) =>
      reject(new CliError(`cannot open a browser (${command}: ${err.message}); open ${url}`, ExitCode.failure)),
    );
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
