import type { Command } from 'commander';
import type { SignalDefinition } from '@temporalio/common';
import { pauseSignal, resumeSignal } from '../../workflows/messages';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig, withClient } from '../context';
import { configOption } from '../options';
import { println } from '../output';
import { signalRealtime } from '../realtime-workflow';
import { signalSource } from '../source-workflow';

/** `elfstream pause <source>`: no new poll cycle starts until `resume`. */
export function registerPause(program: Command, io: CliIo): void {
  registerSourceSignal(program, io, {
    name: 'pause',
    description: 'pause a source: no new poll cycle starts until `resume` (a cycle under way finishes)',
    signal: pauseSignal,
    sent: (id) => `${id}: pause sent; a cycle under way finishes, then the source waits for \`elfstream resume ${id}\``,
  });
}

/** `elfstream resume <source>`: a paused source polls again on its schedule. */
export function registerResume(program: Command, io: CliIo): void {
  registerSourceSignal(program, io, {
    name: 'resume',
    description: 'resume a paused source: it polls again on its schedule',
    signal: resumeSignal,
    sent: (id) => `${id}: resume sent; it polls on its schedule (\`elfstream poll ${id}\` polls now)`,
  });
}

/** A command that sends one argument-less signal to a source's workflow and says what it did. */
function registerSourceSignal(
  program: Command,
  io: CliIo,
  c: { name: string; description: string; signal: SignalDefinition<[]>; sent: (sourceId: string) => string },
): void {
  program
    .command(c.name)
    .description(c.description)
    .argument('<source>', 'source id')
    .addOption(configOption())
    .action(async (id: string, opts: ConfigOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      const realtime = await withClient(config.temporal, async (client) => {
        await signalSource(client, source.id, c.signal);
        // The real-time channel follows its source.
        return source.realtime ? signalRealtime(client, source.id, c.signal) : false;
      });
      println(io.stdout, c.sent(source.id));
      if (realtime) println(io.stdout, `${source.id}: ${c.name} sent to the real-time channel too`);
    });
}
