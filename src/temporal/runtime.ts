import { DefaultLogger, Runtime, type Logger, type LogLevel } from '@temporalio/worker';

/**
 * Installs the Temporal runtime once per process, before any connection: its logger, and (when a port is given)
 * the Prometheus endpoint that serves Temporal's worker metrics and elfstream's own (recorded through the activity
 * metric meter) on `/metrics`.
 */
export function installRuntime(opts: { metricsPort?: number | null; logLevel?: LogLevel; logger?: Logger } = {}): void {
  Runtime.install({
    logger: opts.logger ?? new DefaultLogger(opts.logLevel ?? 'INFO'),
    telemetryOptions: opts.metricsPort
      ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${opts.metricsPort}` }, metricPrefix: 'temporal_' } }
      : undefined,
  });
}
