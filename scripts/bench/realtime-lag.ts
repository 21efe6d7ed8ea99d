/**
 * Event-to-output lag of the real-time channel: a simulator on the wall clock generates LoginEvents steadily (each
 * queryable up to 5 s after its EventDate, as storage events are), the real worker runs the real-time workflow on a
 * one-minute schedule against a Temporal dev server, and each written event's lag is the time its chunk file was
 * written minus its EventDate. Runs in the bench process; takes `minutes` plus setup.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startSimulator } from '@elfstream/salesforce-simulator';
import { startDevServer } from '../../src/temporal/dev-server';
import { createElfstreamWorker } from '../../src/worker';
import { benchConfig } from './source-config';
import { salesforceRealtimeWorkflow } from '../../src/workflows';
import { realtimeWorkflowId } from '../../src/workflows/ids';

export interface RealtimeLagResult {
  schedule: string;
  minutes: number;
  eventsPerMinute: number;
  maxVisibilityDelaySeconds: number;
  events: number;
  lagP50Seconds: number;
  lagP95Seconds: number;
  lagMaxSeconds: number;
}

export async function measureRealtimeLag(p: {
  cliPath: string;
  tmpDir: string;
  minutes: number;
  log: (line: string) => void;
}): Promise<RealtimeLagResult> {
  const eventsPerMinute = 60;
  const maxVisibilityDelayMs = 5000;
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const sim = await startSimulator({
    now: new Date().toISOString(),
    clock: 'real',
    days: 1,
    eventTypes: ['URI'],
    realtime: { eventsPerMinute, maxVisibilityDelayMs, objects: ['LoginEvent'] },
  });
  const server = await startDevServer({ cliPath: p.cliPath, headless: true, logLevel: 'error' });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const started = Date.now();
  try {
    const client = new Client({ connection, namespace: server.namespace });
    const outputDir = path.join(p.tmpDir, 'realtime-events');
    const taskQueue = `bench-realtime-${process.pid}`;
    const sourceId = 'bench-realtime';
    const config = benchConfig({
      sim: {
        instanceUrl: sim.instanceUrl,
        clientId: sim.credentials.clientId,
        clientSecret: sim.credentials.clientSecret,
      },
      outputDir,
      sourceId,
      eventTypes: ['URI'],
      settings: { startFrom: '"-1m"', realtime: '{ objects: [LoginEvent], schedule: "* * * * *" }' },
      temporal: { address: server.address, taskQueue },
    });
    const quiet = (): void => undefined;
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../src/workflows'),
      logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: console.error },
    });
    const bundlePath = path.join(p.tmpDir, 'realtime-workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);
    const { worker } = await createElfstreamWorker({
      config,
      connection: nativeConnection,
      client,
      workflowBundlePath: bundlePath,
    });
    const measureFrom = Date.now();
    p.log(`real-time lag: ${p.minutes} min of LoginEvents at ${eventsPerMinute}/min, schedule "* * * * *"`);
    await worker.runUntil(async () => {
      const handle = await client.workflow.start(salesforceRealtimeWorkflow, {
        taskQueue,
        workflowId: realtimeWorkflowId(sourceId),
        args: [{ sourceId }],
      });
      await new Promise((r) => setTimeout(r, p.minutes * 60_000 + 5_000));
      await handle.terminate('benchmark done');
    });
    const lags: number[] = [];
    for (const file of walk(outputDir)) {
      if (!/part-\d+\.ndjson\.gz$/.test(file)) continue;
      const writtenMs = fs.statSync(file).mtimeMs;
      for (const line of zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n')) {
        if (!line) continue;
        const eventMs = Date.parse((JSON.parse(line) as { p_event_time: string }).p_event_time);
        // Events from before the measurement started come from the first read's look-back, not the schedule.
        if (eventMs >= measureFrom) lags.push((writtenMs - eventMs) / 1000);
      }
    }
    if (lags.length === 0) throw new Error('the real-time channel wrote no events');
    lags.sort((a, b) => a - b);
    const at = (q: number): number =>
      Number((lags[Math.min(lags.length - 1, Math.floor(q * lags.length))] ?? 0).toFixed(1));
    p.log(`real-time lag: ${lags.length} events in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return {
      schedule: '* * * * *',
      minutes: p.minutes,
      eventsPerMinute,
      maxVisibilityDelaySeconds: maxVisibilityDelayMs / 1000,
      events: lags.length,
      lagP50Seconds: at(0.5),
      lagP95Seconds: at(0.95),
      lagMaxSeconds: Number((lags.at(-1) ?? 0).toFixed(1)),
    };
  } finally {
    await connection.close();
    await nativeConnection.close();
    await server.stop();
    await sim.close();
  }
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}
