import type { Command } from 'commander';
import { probeRealtimeAccess, type RealtimeAccess } from '../../realtime/access';
import type { OrgInfo } from '../../salesforce/types';
import type { CliIo, ConfigOptions } from '../context';
import { findSource, loadCliConfig } from '../context';
import { CliError, ExitCode } from '../exit-codes';
import { salesforceClient } from '../lazy';
import { configOption, jsonOption } from '../options';
import { formatCount, formatTable, printJson, println } from '../output';

interface VerifyOptions extends ConfigOptions {
  json?: boolean;
}

/** `elfstream verify <source>`: logs in with the source's credentials and shows what the org tells about itself. */
export function registerVerify(program: Command, io: CliIo): void {
  program
    .command('verify')
    .description("log in to a source's org with its credentials and check that it can read EventLogFiles")
    .argument('<source>', 'source id')
    .addOption(configOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nNeeds no Temporal server. Exits with code 1 and a message saying what to fix when the login or a\n' +
        'permission is missing (wrong password or token, API Enabled, View Event Log Files, Event Monitoring;\n' +
        "with realtime: the Shield or Event Monitoring add-on and 'View Real-Time Event Monitoring Data').",
    )
    .action(async (id: string, opts: VerifyOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      const { SalesforceClient } = salesforceClient();
      let org: OrgInfo;
      let realtime: RealtimeAccess[] = [];
      try {
        const client = SalesforceClient.forSource(source);
        org = await client.login();
        if (source.realtime) realtime = await probeRealtimeAccess(client, source.realtime.objects, Date.now());
      } catch (err) {
        // SalesforceError messages are written for people and redacted; anything else is still one line.
        throw new CliError(`${source.id}: ${err instanceof Error ? err.message : String(err)}`, ExitCode.failure);
      }
      const missing = realtime.filter((r) => !r.ok);
      const realtimeProblem = (): CliError =>
        new CliError(
          `${source.id}: the real-time channel cannot read ${missing.map((r) => r.object).join(', ')}:\n` +
            missing.map((r) => `  ${r.object}: ${r.problem ?? ''}`).join('\n'),
          ExitCode.failure,
        );
      if (opts.json) {
        printJson(io.stdout, {
          sourceId: source.id,
          ok: missing.length === 0,
          ...org,
          ...(source.realtime ? { realtime } : {}),
        });
        if (missing.length > 0) throw realtimeProblem();
        return;
      }
      const interval =
        source.interval === 'auto' ? `auto → ${org.hourlyAvailable ? 'Hourly' : 'Daily'}` : source.interval;
      println(
        io.stdout,
        `${source.id}: login OK (${source.salesforce.auth.type} auth at ${source.salesforce.loginUrl})`,
      );
      const rows: string[][] = [
        ['org id', org.orgId],
        ['user', `${org.username} (${org.userId})`],
        ['instance', org.instanceUrl],
        ['API version', org.apiVersion],
        ['API usage', org.apiUsage ? usage(org.apiUsage) : 'not reported'],
        ['hourly files', org.hourlyAvailable ? 'available' : 'not available (daily files only)'],
        ['interval', interval],
        ...realtime.map((r) => [`real-time ${r.object}`, r.ok ? 'readable' : 'NOT readable (see below)']),
        ...(org.unavailableEventTypes ?? []).map((u) => ['not offered', `${u.eventType}: ${u.reason}`]),
      ];
      println(
        io.stdout,
        formatTable(['', ''], rows)
          .split('\n')
          .slice(1)
          .map((l) => `  ${l}`)
          .join('\n'),
      );
      if (missing.length > 0) throw realtimeProblem();
    });
}

function usage(u: { used: number; limit: number }): string {
  const pct = u.limit > 0 ? ` (${((100 * u.used) / u.limit).toFixed(1)}%)` : '';
  return `${formatCount(u.used)} of ${formatCount(u.limit)} daily API requests used${pct}`;
}
