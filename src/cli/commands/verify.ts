import type { Command } from 'commander';
import { probeRealtimeAccess, type RealtimeAccess } from '../../realtime/access';
import type { OrgInfo } from '../../salesforce/types';
import type { CliIo, ConfigOptions } from '../context';
import type { ElfstreamConfig, SourceConfig } from '../../config/types';
import type { SalesforceClient } from '../../salesforce/client';
import { findSource, loadCliConfig, withClient } from '../context';
import { checkEventTypes, checkNamespace, checkOutput, type CheckResult } from '../verify-checks';
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
    .description(
      'check a source end to end: login and permissions, files per event type, the output, the Temporal namespace',
    )
    .argument('<source>', 'source id')
    .addOption(configOption())
    .addOption(jsonOption())
    .addHelpText(
      'after',
      '\nLogs in (a wrong password or token, API Enabled, View Event Log Files, Event Monitoring missing: exit 1\n' +
        'with what to fix), then checks, one line each with ✔ or ✖: that the org has files of each configured\n' +
        'event type, that the output takes events (a writable folder; an HTTP collector answering an empty\n' +
        "batch), and that the Temporal namespace exists with elfstream's search attributes and a retention that\n" +
        "covers the source's reach. Exit code 0 when every check passes, else 1. With realtime: the Shield or\n" +
        "Event Monitoring add-on and 'View Real-Time Event Monitoring Data' are checked too.",
    )
    .action(async (id: string, opts: VerifyOptions) => {
      const config = await loadCliConfig(io, opts);
      const source = findSource(config, id);
      const { SalesforceClient } = salesforceClient();
      let org: OrgInfo;
      let realtime: RealtimeAccess[] = [];
      const client = SalesforceClient.forSource(source);
      try {
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
      const checks = await runChecks(config, source, client);
      const ok = checks.every((c) => c.ok);
      if (opts.json) {
        printJson(io.stdout, {
          sourceId: source.id,
          ok: ok && missing.length === 0,
          ...org,
          checks,
          ...(source.realtime ? { realtime } : {}),
        });
        if (missing.length > 0) throw realtimeProblem();
        if (!ok) throw new CliError('', ExitCode.failure);
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
      println(io.stdout);
      println(io.stdout, `✔ login as ${org.username} (org ${org.orgId})`);
      for (const c of checks) println(io.stdout, `${c.ok ? '✔' : '✖'} ${c.line}`);
      if (missing.length > 0) throw realtimeProblem();
      if (!ok)
        throw new CliError(`${source.id}: ${checks.filter((c) => !c.ok).length} check(s) failed`, ExitCode.failure);
    });
}

/** Every check after the login; a Temporal server that cannot be reached is one failed check, not an exit 3. */
async function runChecks(config: ElfstreamConfig, source: SourceConfig, sf: SalesforceClient): Promise<CheckResult[]> {
  const results = [...(await checkEventTypes(source, sf)), await checkOutput(config.output, source.eventTypes)];
  try {
    results.push(...(await withClient(config.temporal, (client) => checkNamespace(client, config.temporal, source))));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    results.push({ ok: false, line: `Temporal: ${config.temporal.address} cannot be reached: ${why}` });
  }
  return results;
}

function usage(u: { used: number; limit: number }): string {
  const pct = u.limit > 0 ? ` (${((100 * u.used) / u.limit).toFixed(1)}%)` : '';
  return `${formatCount(u.used)} of ${formatCount(u.limit)} daily API requests used${pct}`;
}
