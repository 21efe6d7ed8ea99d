/** The Salesforce simulator: a wire-compatible fake of the Salesforce APIs elfstream uses, on loopback. */
export { startSimulator } from './server';
export { SimulatorControlClient } from './control-client';
export { runSimulatorCli } from './cli';
export type {
  Simulator,
  SimulatorOptions,
  SimulatorCredentials,
  SimulatorControl,
  SimFault,
  SimFileSpec,
  SimFileSummary,
  SimInterval,
  SimInfo,
  SimOrgSettings,
  SimStats,
  SimRealtimeRecord,
} from './types';
export type { RealtimeGeneration, RealtimeRecordSpec } from './realtime/store';
