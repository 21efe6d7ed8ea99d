import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';

/** Replay fixtures, one folder per release: `test/replay/histories/<version>/<name>.json`. */
export const HISTORIES_ROOT = path.resolve(__dirname, '../replay/histories');

/** The release being built (package.json `version`): new fixtures go to its folder. */
export function currentRelease(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Every release folder with fixtures, oldest first by name. */
export function releaseDirs(): string[] {
  if (!fs.existsSync(HISTORIES_ROOT)) return [];
  return fs
    .readdirSync(HISTORIES_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** A workflow run's history as `temporal workflow show --output json` exports it (proto JSON). */
export function exportHistory(workflowId: string, runId?: string): string {
  return execFileSync(
    process.env.ELFSTREAM_TEST_TEMPORAL_CLI!,
    [
      'workflow',
      'show',
      '--address',
      process.env.ELFSTREAM_TEST_TEMPORAL_ADDRESS!,
      '--workflow-id',
      workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
}

/**
 * Saves the history of a workflow run as a replay fixture of the current release
 * (`test/replay/histories/<version>/<name>.json`). Fixtures are append-only: a released history is what running
 * workflows really did, so an existing file is never replaced (delete it by hand only for an unreleased version).
 */
export function recordHistory(name: string, workflowId: string, runId?: string): string {
  const dir = path.join(HISTORIES_ROOT, currentRelease());
  const file = path.join(dir, `${name}.json`);
  if (fs.existsSync(file))
    throw new Error(
      `${path.relative(process.cwd(), file)} exists: fixtures of a release are never overwritten. ` +
        'Bump package.json version to record the fixtures of a new release.',
    );
  const history = exportHistory(workflowId, runId);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, history, { flag: 'wx' });
  return file;
}

/** A history as a person or system could read it: every string in it, with every payload decoded. */
export interface ReadableHistory {
  /** Every string of the history, one per line: plain fields as they are, payloads decoded. */
  text: string;
  /** Payloads decoded (inputs, results, heartbeats, signals, memo, search attributes, failure details, ...). */
  payloads: number;
}

/**
 * Decodes every payload of an exported history with the payload converter elfstream's client and worker use (the
 * SDK default: elfstream configures none), so a scan sees values instead of their base64. A payload it cannot
 * decode fails the scan rather than being skipped.
 */
export function readableHistory(exported: string): ReadableHistory {
  let payloads = 0;
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        strings.push(k);
        collect(v);
      }
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return collect(node);
    if (isPayloadJson(node)) {
      payloads += 1;
      const decoded = defaultPayloadConverter.fromPayload(payloadFromJson(node));
      return collect(decoded instanceof Uint8Array ? Buffer.from(decoded).toString('utf8') : decoded);
    }
    for (const [k, v] of Object.entries(node)) {
      strings.push(k);
      walk(v);
    }
  };
  walk(JSON.parse(exported));
  return { text: strings.join('\n'), payloads };
}

/** The readable text of a workflow run's history (see readableHistory). */
export function readableHistoryOf(workflowId: string, runId?: string): ReadableHistory {
  return readableHistory(exportHistory(workflowId, runId));
}

interface PayloadJson {
  metadata: Record<string, string>;
  data?: string;
}

/** A payload in proto JSON: base64 metadata (always with an `encoding`) and base64 data. */
function isPayloadJson(node: object): node is PayloadJson {
  const metadata = (node as { metadata?: unknown }).metadata;
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof (metadata as Record<string, unknown>).encoding === 'string'
  );
}

function payloadFromJson(p: PayloadJson): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

/** A backfill request the source rejects, naming `value` in its reason: a value that travels only in payloads. */
export function plantedBackfill(value: string): { from: string; to: string; eventTypes: string[] } {
  const hour = Math.floor(Date.now() / 3600_000) * 3600_000;
  return {
    from: new Date(hour - 2 * 3600_000).toISOString(),
    to: new Date(hour - 3600_000).toISOString(),
    eventTypes: [value],
  };
}
