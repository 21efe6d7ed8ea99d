/** Facts about EventLogFile records and orgs, shared by the Salesforce client, activities and workflows. */

export type LogInterval = 'Hourly' | 'Daily';

/**
 * One EventLogFile as listed by SOQL: metadata only, small enough to travel through workflow history.
 * All instants are ISO-8601 UTC with milliseconds (`2026-11-27T13:00:00.000Z`), converted from Salesforce's
 * `+0000` form.
 */
export interface EventLogFileMeta {
  id: string;
  eventType: string;
  logDate: string;
  createdDate: string;
  interval: LogInterval;
  /** 0 for daily files; 1, 2, ... for hourly files of the same hour (late events). */
  sequence: number;
  /** Size of the CSV in bytes, as Salesforce reports it. */
  logFileLength: number;
  apiVersion?: number;
}

/** What a successful login tells us about the org and the API user. Never holds a secret. */
export interface OrgInfo {
  orgId: string;
  userId: string;
  username: string;
  instanceUrl: string;
  apiVersion: string;
  apiUsage?: { used: number; limit: number };
  /** Whether the org publishes hourly EventLogFiles (and the Interval field exists). */
  hourlyAvailable: boolean;
  /** Configured event types the org's EventType list lacks at the API version in use, each with the likely reason. */
  unavailableEventTypes?: { eventType: string; reason: string }[];
}
