/** The generated EventLogFiles of a benchmark, added to the simulator child through its control API. */
import type { SimulatorControlClient } from '@elfstream/salesforce-simulator';
import type { SimFileSummary } from '@elfstream/salesforce-simulator';

/** A generated file and the size it was generated for. */
export interface BenchFile extends SimFileSummary {
  /** e.g. `URI 1 GiB`. */
  label: string;
  targetBytes: number;
}

const SAMPLE_ROWS = 20_000;

/**
 * Adds an hourly file of `eventType` of about `targetBytes` CSV bytes (rows are generated from the seed, so the
 * row count follows from the bytes per row of a sample file), and stores its blob: downloads then cost the
 * simulator a disk read, not generating and compressing the file again on the cores the measurements run on.
 */
export async function addSizedFile(
  control: SimulatorControlClient,
  p: { eventType: string; targetBytes: number; logDate: string; label: string },
): Promise<BenchFile> {
  const sample = await control.addFile({
    eventType: p.eventType,
    logDate: p.logDate,
    interval: 'Hourly',
    rows: SAMPLE_ROWS,
  });
  await control.deleteFile(sample.id);
  const rows = Math.ceil(p.targetBytes / (sample.logFileLength / sample.rows));
  const file = await control.addFile({ eventType: p.eventType, logDate: p.logDate, interval: 'Hourly', rows });
  await control.storeFile(file.id);
  return { ...file, label: p.label, targetBytes: p.targetBytes };
}
