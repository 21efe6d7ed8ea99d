/**
 * The resolved configuration (after `${VAR}` interpolation, `*File` secrets read, defaults applied and durations
 * parsed). The YAML shape is the same with the defaults optional; see README "Configuration".
 */

export type AuthConfig =
  | { type: 'password'; username: string; password: string; securityToken: string }
  | {
      type: 'oauth-password';
      username: string;
      password: string;
      securityToken: string;
      clientId: string;
      clientSecret: string;
    }
  | { type: 'client-credentials'; clientId: string; clientSecret: string }
  | { type: 'jwt'; username: string; clientId: string; privateKey: string; audience?: string };

export interface SalesforceConfig {
  /** https://login.salesforce.com, https://test.salesforce.com, a My Domain URL, or http://127.0.0.1:PORT (simulator). */
  loginUrl: string;
  /** e.g. "68.0" (no "v"), or "auto": the highest version both the org and elfstream support, chosen at login. */
  apiVersion: string;
  auth: AuthConfig;
}

export interface SourceConfig {
  /** [a-z0-9-], unique; part of workflow ids. */
  id: string;
  label: string;
  salesforce: SalesforceConfig;
  /** EventLogFile event types, or ["*"] for all. */
  eventTypes: string[];
  interval: 'auto' | 'Hourly' | 'Daily';
  /** 5-field cron expression, UTC. */
  schedule: string;
  /** ISO-8601 instant or negative duration ("-24h"), kept as written; resolved by the workflow at first start. */
  startFrom: string;
  /** Files younger than this (by CreatedDate) wait for the next cycle, in ms. Default 5 min. */
  settleWindowMs: number;
  /** Trailing window of CreatedDate re-listed every cycle to catch late files, in ms. Default 72 h. */
  rescanHorizonMs: number;
  /** Files ingested at once per source. Default 4. */
  concurrency: number;
  /** Rows per committed chunk. Default 50 000. */
  chunkRows: number;
  /** Share of the daily API allowance (0..1) elfstream leaves untouched. Default 0.1. */
  apiReserve: number;
  /**
   * How long the org keeps EventLogFiles (Salesforce: 30 days by default, up to a year with extended retention), in
   * ms: the furthest a backfill can reach, and so how long the ledger must remember a file. Default 30 d.
   */
  retentionMs: number;
  /** The real-time channel (storage events, Setup Audit Trail); absent when not configured. */
  realtime?: RealtimeConfig;
}

/** `sources[].realtime`: objects read by SOQL every `schedule` tick, beside the EventLogFiles. */
export interface RealtimeConfig {
  /** Storage event objects (LoginEvent, …) and/or SetupAuditTrail. */
  objects: string[];
  /** 5-field cron expression, UTC. Default every minute. */
  schedule: string;
  /** `refuse`: an activity configured on both channels is a config error; `both`: keep both. */
  overlap: 'refuse' | 'both';
}

export type OutputConfig =
  | {
      type: 'file';
      dir: string;
      gzip: boolean;
      /** Mode of event files; default 0o600 (they hold user names, IPs, session keys). */
      fileMode?: number;
      /** Mode of the folders the sink creates; default 0o700. */
      dirMode?: number;
    }
  | { type: 'stdout' }
  | {
      type: 'http';
      url: string;
      format: 'ndjson' | 'splunk-hec';
      /** Value of the Authorization header (e.g. "Splunk <token>" or "Bearer <token>"); a secret. */
      authorization?: string;
      gzip: boolean;
      batchSize: number;
      headers: Record<string, string>;
      /** Set: an Authorization header may go over plain http. */
      allowInsecure?: boolean;
      /** `panther`: Panther's HTTP log source (its request size limit; see docs/sinks.md). */
      preset?: 'panther';
      /** How requests authenticate besides `authorization`; secrets. */
      auth?: HttpAuthConfig;
    }
  | {
      type: 's3';
      bucket: string;
      prefix: string;
      region: string;
      endpoint?: string;
      /** Static credentials (the secret is a secret); the AWS default chain when absent. */
      credentials?: { accessKeyId: string; secretAccessKey: string };
      gzip: boolean;
    }
  | {
      type: 'kafka';
      brokers: string[];
      topic?: string;
      topicPerEventType: boolean;
      topicPrefix: string;
      progressTopic: string;
      clientId: string;
      ssl: boolean;
      /** SASL (the password is a secret). */
      sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
    };

/** Request authentication of the http sink (the modes Panther's HTTP source accepts). */
export type HttpAuthConfig =
  | { type: 'shared-secret'; header: string; secret: string }
  | {
      type: 'hmac';
      header: string;
      secret: string;
      algorithm: 'sha256' | 'sha512' | 'sha1';
      encoding: 'hex' | 'base64';
    }
  | { type: 'bearer'; secret: string }
  | { type: 'basic'; username: string; secret: string };

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Temporal Cloud / mTLS; all optional. */
  apiKey?: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string } | boolean;
}

export interface ElfstreamConfig {
  /** Path of the file it was loaded from, for messages. */
  configPath: string;
  temporal: TemporalConfig;
  output: OutputConfig;
  metrics: { port: number | null };
  sources: SourceConfig[];
}
