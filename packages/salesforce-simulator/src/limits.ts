/** `GET /services/data/vXX.X/limits`: the org's limits; only DailyApiRequests moves. */
import type { OrgState } from './context';

const STATIC_LIMITS: Record<string, number> = {
  ActiveScratchOrgs: 3,
  ConcurrentAsyncGetReportInstances: 200,
  ConcurrentSyncReportRuns: 20,
  DailyAsyncApexExecutions: 250000,
  DailyBulkApiBatches: 15000,
  DailyBulkV2QueryFileStorageMB: 976562,
  DailyBulkV2QueryJobs: 10000,
  DailyGenericStreamingApiEvents: 10000,
  DailyStreamingApiEvents: 1000000,
  DataStorageMB: 1024,
  FileStorageMB: 2048,
  HourlyAsyncReportRuns: 1200,
  HourlyDashboardRefreshes: 200,
  HourlyODataCallout: 10000,
  HourlySyncReportRuns: 500,
  HourlyTimeBasedWorkflow: 1000,
  MassEmail: 5000,
  SingleEmail: 5000,
  StreamingApiConcurrentClients: 2000,
};

/** The limits document, keys in alphabetical order as Salesforce sends them. */
export function limitsDocument(org: OrgState): Record<string, { Max: number; Remaining: number }> {
  const all: Record<string, { Max: number; Remaining: number }> = {
    DailyApiRequests: { Max: org.apiLimit, Remaining: Math.max(0, org.apiLimit - org.apiUsed) },
  };
  for (const [name, max] of Object.entries(STATIC_LIMITS)) all[name] = { Max: max, Remaining: max };
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : 1)));
}
