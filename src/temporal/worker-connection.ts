import { NativeConnection } from '@temporalio/worker';
import type { TemporalConfig } from '../config/types';
import { connectOptions, unreachable } from './connection';

/** The worker's connection (the native core); kept apart so client-only commands do not load the worker SDK. */
export async function connectWorker(t: TemporalConfig): Promise<NativeConnection> {
  try {
    return await NativeConnection.connect(connectOptions(t));
  } catch (err) {
    throw unreachable(t, err);
  }
}
