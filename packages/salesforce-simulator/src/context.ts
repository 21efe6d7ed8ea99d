/** The state every request handler of one simulator shares. */
import type { BlobStore } from './blob-store';
import type { SimClock } from './clock';
import type { QueryCursors } from './query-cursors';
import type { RealtimeResults } from './realtime/rest';
import type { RealtimeStore } from './realtime/store';
import type { FaultBox } from './faults';
import type { RecordContext } from './records';
import type { SessionStore } from './sessions';
import type { SimulatorCredentials } from './types';
import type { World } from './world';

/** Lowest API version served: 7.0-30.0 are retired (Summer '22 and Summer '25, "API End-of-Life Policy"). */
export const MIN_API_VERSION = 31;
/** Oldest version Salesforce ever served; versions from it up to {@link MIN_API_VERSION} answer as retired. */
const FIRST_API_VERSION = 7;

/** Whether `text` names a retired version (REST answers 410 GONE, SOAP UNSUPPORTED_API_VERSION). */
export function isRetiredVersion(text: string): boolean {
  if (!/^\d{1,2}\.0$/.test(text)) return false;
  const v = Number(text);
  return v >= FIRST_API_VERSION && v < MIN_API_VERSION;
}

/** Org switches, as {@link SimulatorControl.setOrg} changes them. */
export interface OrgState {
  hourlyEnabled: boolean;
  eventMonitoringEnabled: boolean;
  viewEventLogFiles: boolean;
  apiEnabled: boolean;
  apiLimit: number;
  apiUsed: number;
  soapLoginEnabled: boolean;
  /** Shield / Event Monitoring add-on with "View Real-Time Event Monitoring Data": storage events queryable. */
  viewRealTimeEventMonitoringData: boolean;
  /** "View Setup and Configuration": SetupAuditTrail queryable. */
  viewSetupAndConfiguration: boolean;
  /** Summer '26: SOAP login() needs the user permission Use Any API Auth, and the API user lacks it. */
  useAnyApiAuthMissing: boolean;
  /** How long files are kept after their CreatedDate, in days (30 by default; orgs set 30-365, Developer Edition 1). */
  retentionDays: number;
}

/** Identity of the simulated org and user. */
export interface OrgIdentity {
  orgId: string;
  orgId15: string;
  orgName: string;
  userId: string;
  username: string;
  userFullName: string;
  userEmail: string;
  profileId: string;
  /** The Automated Process user that "creates" EventLogFiles. */
  systemUserId: string;
}

/** Shared state of a running simulator. */
export interface SimContext {
  url: string;
  instanceUrl: string;
  identity: OrgIdentity;
  credentials: SimulatorCredentials;
  /** Highest API version served, as a number (66) and as text (`66.0`). */
  apiVersionMax: number;
  apiVersionMaxText: string;
  clock: SimClock;
  world: World;
  org: OrgState;
  sessions: SessionStore;
  faults: FaultBox;
  cursors: QueryCursors;
  /** Storage events and the Setup Audit Trail. */
  realtime: RealtimeStore;
  realtimeResults: RealtimeResults;
  /** Files whose blob was rendered once and is served from disk (`storeFile`). */
  blobs: BlobStore;
  counters: { requests: number; blobBytesServed: number };
  log?: (line: string) => void;
}

/** What records of a given API version need. */
export function recordContext(ctx: SimContext, version: string): RecordContext {
  return { version, systemUserId: ctx.identity.systemUserId, length: (f) => ctx.world.measure(f).bytes };
}

/** `62.0` → 62, or undefined when the text is not a version this simulator serves. */
export function servedVersion(ctx: SimContext, text: string): number | undefined {
  if (!/^\d{2}\.0$/.test(text)) return undefined;
  const v = Number(text);
  return v >= MIN_API_VERSION && v <= ctx.apiVersionMax ? v : undefined;
}

/** Whether the API user can see EventLogFile in this version (the object exists from API 32.0). */
export function elfAccessible(ctx: SimContext, version: number): boolean {
  return ctx.org.eventMonitoringEnabled && ctx.org.viewEventLogFiles && version >= 32;
}
