/** Default values of the optional settings of `elfstream.yaml`. */
export const CONFIG_DEFAULTS = {
  temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'salesforce-event-logs' },
  output: {
    dir: './data/events',
    gzip: true,
    httpFormat: 'ndjson',
    httpBatchSize: 500,
    kafkaProgressTopic: 'elfstream-progress',
  },
  salesforce: { loginUrl: 'https://login.salesforce.com', apiVersion: 'auto' },
  source: {
    interval: 'auto',
    schedule: '*/15 * * * *',
    startFrom: '-24h',
    settleWindowMs: 5 * 60_000,
    rescanHorizonMs: 72 * 3_600_000,
    concurrency: 4,
    chunkRows: 50_000,
    apiReserve: 0.1,
    retentionMs: 30 * 24 * 3_600_000,
  },
} as const;
