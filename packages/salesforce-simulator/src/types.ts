/**
 * Public types of the Salesforce simulator. Other modules (tests, the demo, the CLI) code against these shapes.
 */
import type { RealtimeGeneration, RealtimeRecordSpec } from './realtime/store';

/** Credentials the simulated org accepts. Demo values only: none of them is a real secret. */
export interface SimulatorCredentials {
  /** Default `elf-reader@acme-sim.example`. Matched case-insensitively, like Salesforce usernames. */
  username: string;
  /** Default `sim-password`. */
  password: string;
  /** Default `SIMTOKEN123`; appended to the password for SOAP login and the OAuth password grant. */
  securityToken: string;
  /** Consumer key of the simulated connected app. Default `sim-client-id`. */
  clientId: string;
  /** Consumer secret of the simulated connected app. Default `sim-client-secret`. */
  clientSecret: string;
  /** RSA private key (PKCS#8 PEM) for tests and the demo to sign JWT bearer assertions. Generated unless given. */
  jwtPrivateKeyPem: string;
  /** What the connected app trusts for JWT bearer: an SPKI public key PEM or an X.509 certificate PEM. */
  jwtPublicKeyPem: string;
}

/** Options of {@link startSimulator}. Every generated value is a pure function of `seed` (and of `now`/`days`). */
export interface SimulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Seed of the simulated world. Default 42. */
  seed?: number;
  /** Days of history before the start clock. Default 7. */
  days?: number;
  /** Simulated clock start. Default: the real now, truncated to the minute. */
  now?: string | Date;
  /** `manual` (default): time moves only through the control API. `real`: simulated time advances with wall time. */
  clock?: 'manual' | 'real';
  /** Rows per seeded hourly file. Default `{ min: 5, max: 40 }`. */
  rowsPerFile?: { min: number; max: number };
  /** Event types the org produces. Default `['Login','LoginAs','Logout','URI','API','ReportExport']`. */
  eventTypes?: string[];
  /**
   * Whether the org publishes hourly files (daily files always exist). Default true. Without them EventLogFile has
   * no `Interval` field (describe lacks it and SOQL naming it fails with INVALID_FIELD).
   */
  hourly?: boolean;
  /**
   * Highest API version served, e.g. `'68.0'` (default, Winter '27). Versions 31.0 up to it are served; 7.0-30.0 answer
   * as retired (REST 410 GONE, SOAP UNSUPPORTED_API_VERSION).
   */
  apiVersionMax?: string;
  /**
   * How long files are kept after their CreatedDate, in days: 30 (default) as in orgs with Event Monitoring; orgs
   * set 30-365, Developer Edition keeps 1. With `days` up to 365 the org holds files up to a year old.
   */
  retentionDays?: number;
  /** Overrides of the default credentials. */
  credentials?: Partial<SimulatorCredentials>;
  /**
   * Idle timeout of sessions in simulated milliseconds (Salesforce's default is 2 h). Default: sessions never time
   * out on their own, so tests that move the clock by days keep their session; use the `expire-sessions` fault or
   * set this to exercise expiry.
   */
  sessionIdleTimeoutMs?: number;
  /** Receives one line per request: method, path (never the query string), status, duration. Never secrets. */
  log?: (line: string) => void;
  /** Generate storage events as the clock moves (none by default; add records with `addRealtimeRecords`). */
  realtime?: RealtimeGeneration;
}

/** Interval of an EventLogFile. */
export type SimInterval = 'Hourly' | 'Daily';

/** A file to add to the simulated org through {@link SimulatorControl.addFile}. */
export interface SimFileSpec {
  eventType: string;
  /** Start of the period covered: an hour for `Hourly`, a UTC day (`2026-11-27` or midnight) for `Daily`. Floored. */
  logDate: string;
  interval: SimInterval;
  /** Default: 0 for daily; for hourly, one more than the highest Sequence of that event type and hour. */
  sequence?: number;
  /** Rows to generate (ignored when `csv` is given). Default: random within `rowsPerFile`. */
  rows?: number;
  /** Default: the simulated now (truncated to the second). */
  createdDate?: string;
  /** Exact file content including the header; overrides generation. */
  csv?: string;
  /** Overrides `LogFileFieldNames` (default: the generated header, or the header line of `csv`). */
  fieldNames?: string;
  /** Overrides `LogFileFieldTypes`. */
  fieldTypes?: string;
}

/** Ground truth about one EventLogFile. Instants are ISO-8601 UTC with milliseconds. */
export interface SimFileSummary {
  id: string;
  eventType: string;
  logDate: string;
  createdDate: string;
  interval: SimInterval;
  sequence: number;
  rows: number;
  logFileLength: number;
}

/** A scripted failure; see the README of each kind in `faults.ts`. */
export type SimFault =
  /** The next `count` requests under `/services` whose path contains `pathContains` fail with `status`. */
  | { kind: 'http-error'; status: 500 | 502 | 503; count: number; pathContains?: string }
  /** Blob downloads (of `fileId`, or any) reset the TCP connection after `afterBytes` body bytes (wire bytes). */
  | { kind: 'reset-blob'; afterBytes: number; count?: number; fileId?: string }
  /** Blob downloads are throttled to `bytesPerSecond` (wire bytes). */
  | { kind: 'slow-blob'; bytesPerSecond: number; count?: number; fileId?: string }
  /** After `afterRequests` more REST requests every session is invalid (401 INVALID_SESSION_ID); new logins work. */
  | { kind: 'expire-sessions'; afterRequests: number }
  /** The file vanishes when its blob is requested (404), as if retention struck between listing and download. */
  | { kind: 'delete-on-download'; fileId: string }
  /**
   * Downloads (of `fileId`, or any) answer 200 with this body instead of the file, as a maintenance page or a broken
   * store does: `body` is base64 (so binary bodies fit), sent uncompressed with an exact Content-Length.
   */
  | { kind: 'replace-blob'; body: string; contentType?: string; count?: number; fileId?: string }
  /**
   * The stored file is cut short: downloads (of `fileId`, or any) end normally after `afterBytes` body bytes as on
   * the wire, with no reset: under gzip a cut gzip stream in a complete chunked response, otherwise a body of that
   * Content-Length. LogFileLength still lists the whole file.
   */
  | { kind: 'truncate-blob'; afterBytes: number; count?: number; fileId?: string };

/** Org settings that tests can flip at run time. */
export interface SimOrgSettings {
  hourlyEnabled?: boolean;
  eventMonitoringEnabled?: boolean;
  viewEventLogFiles?: boolean;
  apiEnabled?: boolean;
  apiLimit?: number;
  apiUsed?: number;
  soapLoginEnabled?: boolean;
  /** Storage events queryable (Shield / Event Monitoring add-on and "View Real-Time Event Monitoring Data"). */
  viewRealTimeEventMonitoringData?: boolean;
  /** SetupAuditTrail queryable ("View Setup and Configuration"). */
  viewSetupAndConfiguration?: boolean;
  /** Summer '26 enforcement: SOAP login() needs the permission Use Any API Auth, which the API user lacks. */
  useAnyApiAuthMissing?: boolean;
  /** How long files are kept after their CreatedDate, in days (1..365). */
  retentionDays?: number;
}

/** Counters of the simulator. */
export interface SimStats {
  /** Requests under `/services` (and `/id`), whatever their outcome. */
  requests: number;
  apiUsed: number;
  apiLimit: number;
  /** Body bytes of LogFile responses written to sockets (compressed bytes when gzip). */
  blobBytesServed: number;
}

/** Non-secret facts about the simulated org, as `GET /__sim/info` returns them. */
export interface SimInfo {
  url: string;
  instanceUrl: string;
  orgId: string;
  userId: string;
  username: string;
}

/** In-process control of a running simulator. */
export interface SimulatorControl {
  /** Simulated now, ISO-8601. */
  now(): string;
  setNow(iso: string): void;
  advance(ms: number): void;
  addFile(spec: SimFileSpec): SimFileSummary;
  /** Deletes a file like retention does: it leaves listings and its blob answers 404. */
  deleteFile(id: string): void;
  /**
   * Renders a file's blob once, gzip-compressed, to a temporary directory and serves its downloads from there, as
   * Salesforce serves stored files: downloads then cost the simulator a disk read instead of generating and
   * compressing the file again (for benchmarks, where the simulator shares the client's cores). Same bytes.
   */
  storeFile(id: string): Promise<void>;
  /** Files that exist now (or, with `includeFuture`, also those whose period has begun but are not yet published), ordered by CreatedDate, Id. */
  listFiles(opts?: { includeFuture?: boolean }): SimFileSummary[];
  /** Exactly the bytes the LogFile endpoint serves, uncompressed. */
  fileCsv(id: string): NodeJS.ReadableStream;
  inject(fault: SimFault): void;
  clearFaults(): void;
  setOrg(p: SimOrgSettings): void;
  stats(): SimStats;
  /** Adds storage events or Setup Audit Trail entries; returns them as queries will show them. */
  addRealtimeRecords(object: string, records: RealtimeRecordSpec[]): SimRealtimeRecord[];
  /** Every record of a real-time object, queryable yet or not, oldest first. */
  listRealtimeRecords(object: string): SimRealtimeRecord[];
}

/** A real-time record as the control API shows it: values with datetimes as ISO-8601. */
export interface SimRealtimeRecord {
  object: string;
  time: string;
  visibleAt: string;
  values: Record<string, string | number | null>;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL, e.g. `http://127.0.0.1:PORT`: the login URL clients use. */
  url: string;
  /** Instance URL returned by logins: the same server under another host name (`localhost` for `127.0.0.1`). */
  instanceUrl: string;
  /** 18-character organization id (`00D…`). */
  orgId: string;
  /** 18-character id of the API user (`005…`). */
  userId: string;
  username: string;
  credentials: SimulatorCredentials;
  control: SimulatorControl;
  /** Closes the server and every open connection. */
  close(): Promise<void>;
}
