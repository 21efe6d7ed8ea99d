/**
 * The checks of `elfstream verify`, each one line with ✔ or ✖: the org has files for every configured event type,
 * the output takes events, the Temporal namespace has elfstream's search attributes and keeps closed workflows
 * (the file ledger) as long as the source can reach back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { OutputConfig, SourceConfig, TemporalConfig } from '../config/types';
import type { SalesforceClient } from '../salesforce/client';
import { createSink } from '../sinks';
import { SEARCH_ATTRIBUTE_TYPES } from '../workflows/search-attributes';
import { RETENTION_MARGIN_DAYS } from './ledger-retention';
import { formatInstant } from './output';

export interface CheckResult {
  ok: boolean;
  line: string;
}

const DAY_MS = 24 * 3600_000;

/** Per event type: whether the org has files of it (within Salesforce's retention, so: recently). */
export async function checkEventTypes(source: SourceConfig, sf: SalesforceClient): Promise<CheckResult[]> {
  const types = source.eventTypes.includes('*') ? ['*'] : source.eventTypes;
  const results: CheckResult[] = [];
  for (const type of types) {
    const label = type === '*' ? 'all event types' : type;
    try {
      const range = await sf.logDateRange({ eventTypes: type === '*' ? '*' : [type] });
      results.push(
        range
          ? { ok: true, line: `${label}: files for LogDates ${day(range.first)} … ${day(range.last)}` }
          : {
              ok: false,
              line:
                `${label}: no files in the last 30 days: the org's Event Monitoring licence may not include it, ` +
                'or nothing happened that it logs',
            },
      );
    } catch (err) {
      results.push({ ok: false, line: `${label}: could not list files: ${messageOf(err)}` });
    }
  }
  return results;
}

/**
 * Whether events can be written: a file output's folder is writable, an HTTP collector answers an empty batch, a
 * bucket or a Kafka cluster answers and takes the credentials (checked without writing).
 */
export async function checkOutput(output: OutputConfig, eventTypes: readonly string[] = ['*']): Promise<CheckResult> {
  if (output.type === 'stdout') return { ok: true, line: 'output: standard output' };
  if (output.type === 'file') {
    // The nearest folder that exists: the sink creates the rest.
    let dir = output.dir;
    while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    try {
      await fs.promises.access(dir, fs.constants.W_OK | fs.constants.X_OK);
      return { ok: true, line: `output: ${output.dir} is writable` };
    } catch {
      return {
        ok: false,
        line: `output: ${output.dir} is not writable (${dir} denies this user): fix its owner or mode`,
      };
    }
  }
  if (output.type === 's3' || output.type === 'kafka') return probeSink(output, eventTypes);
  return checkCollector(output);
}

async function probeSink(output: OutputConfig, eventTypes: readonly string[]): Promise<CheckResult> {
  const sink = createSink(output, { kafkaRetries: 1 });
  try {
    return { ok: true, line: `output: ${await sink.probe?.(eventTypes)}` };
  } catch (err) {
    return { ok: false, line: `output: ${messageOf(err)}` };
  } finally {
    await sink.close().catch(() => undefined);
  }
}

/**
 * An empty POST: NDJSON of no lines writes nothing, and Splunk HEC answers it with 400 "No data" after checking the
 * token (https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector: 401/403 mean a
 * missing or invalid token).
 */
async function checkCollector(output: Extract<OutputConfig, { type: 'http' }>): Promise<CheckResult> {
  const headers: Record<string, string> = { ...output.headers, 'content-type': 'application/x-ndjson' };
  if (output.authorization) headers.authorization = output.authorization;
  const where = new URL(output.url).origin;
  try {
    const res = await fetch(output.url, { method: 'POST', body: '', headers, signal: AbortSignal.timeout(10_000) });
    await res.body?.cancel();
    if (res.status === 401 || res.status === 403)
      return { ok: false, line: `output: ${where} refused the authorization (HTTP ${res.status}): check the token` };
    if (res.status === 404) return { ok: false, line: `output: ${output.url} does not exist (HTTP 404)` };
    if (res.status >= 500) return { ok: false, line: `output: ${where} answers HTTP ${res.status}` };
    return { ok: true, line: `output: ${where} answers (HTTP ${res.status} to an empty batch)` };
  } catch (err) {
    return { ok: false, line: `output: ${where} does not answer: ${messageOf(err)}` };
  }
}

/** The namespace exists, has elfstream's search attributes, and keeps closed workflows as long as the source reaches. */
export async function checkNamespace(client: Client, t: TemporalConfig, source: SourceConfig): Promise<CheckResult[]> {
  const ns = t.namespace;
  let retentionMs: number;
  try {
    const d = await client.connection.workflowService.describeNamespace({ namespace: ns });
    retentionMs = Number(d.config?.workflowExecutionRetentionTtl?.seconds ?? 0) * 1000;
  } catch (err) {
    const missing = isGrpcServiceError(err) && err.code === 5;
    return [
      {
        ok: false,
        line: missing
          ? `Temporal: namespace ${ns} does not exist at ${t.address}: run \`elfstream setup\``
          : `Temporal: namespace ${ns} at ${t.address}: ${messageOf(err)}`,
      },
    ];
  }
  const results: CheckResult[] = [{ ok: true, line: `Temporal: namespace ${ns} at ${t.address}` }];
  try {
    const r = await client.connection.operatorService.listSearchAttributes({ namespace: ns });
    const have = r.customAttributes ?? {};
    const missing = Object.keys(SEARCH_ATTRIBUTE_TYPES).filter((name) => !(name in have));
    results.push(
      missing.length === 0
        ? { ok: true, line: `Temporal: search attributes ${Object.keys(SEARCH_ATTRIBUTE_TYPES).join(', ')}` }
        : { ok: false, line: `Temporal: search attributes ${missing.join(', ')} missing: run \`elfstream setup\`` },
    );
  } catch (err) {
    results.push({ ok: false, line: `Temporal: search attributes could not be listed: ${messageOf(err)}` });
  }
  // The ledger must outlast the source's reach by the margin `setup` and `start` use (see docs/retention.md).
  const neededMs = source.retentionMs + RETENTION_MARGIN_DAYS * DAY_MS;
  const days = (ms: number): string => `${Math.round((ms / DAY_MS) * 10) / 10} days`;
  const reach = `the source's reach (${days(source.retentionMs)}) plus ${RETENTION_MARGIN_DAYS} days`;
  results.push(
    retentionMs >= neededMs
      ? { ok: true, line: `Temporal: retention ${days(retentionMs)} covers ${reach}` }
      : {
          ok: false,
          line:
            `Temporal: retention ${days(retentionMs)} is shorter than ${reach}: file ` +
            'workflows (the ledger) are deleted before a backfill could meet them, and it would ingest those files ' +
            `again; raise it: elfstream setup, or temporal operator namespace update --namespace ${ns} --retention ${Math.ceil(neededMs / 3600_000)}h`,
        },
  );
  return results;
}

function day(iso: string): string {
  return formatInstant(iso).slice(0, 10);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
