/** {@link SimulatorControl} over the HTTP control API, for a simulator running in another process. */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { SimFault, SimFileSpec, SimFileSummary, SimInfo, SimOrgSettings, SimStats } from './types';

/** Async client of the `/__sim/` control API. Every method fails with the simulator's error message. */
export class SimulatorControlClient {
  private readonly base: string;

  /** @param baseUrl the simulator's base URL, e.g. `http://127.0.0.1:PORT`. */
  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** Non-secret facts of the simulated org. */
  info(): Promise<SimInfo> {
    return this.call('GET', '/__sim/info');
  }

  async now(): Promise<string> {
    return (await this.call<{ now: string }>('GET', '/__sim/clock')).now;
  }

  async setNow(iso: string): Promise<void> {
    await this.call('POST', '/__sim/clock', { now: iso });
  }

  async advance(ms: number): Promise<void> {
    await this.call('POST', '/__sim/clock', { advanceMs: ms });
  }

  addFile(spec: SimFileSpec): Promise<SimFileSummary> {
    return this.call('POST', '/__sim/files', spec);
  }

  async deleteFile(id: string): Promise<void> {
    await this.call('DELETE', `/__sim/files/${encodeURIComponent(id)}`);
  }

  /** See {@link SimulatorControl.storeFile}: resolves once the blob is stored. */
  async storeFile(id: string): Promise<void> {
    await this.call('POST', `/__sim/files/${encodeURIComponent(id)}/store`);
  }

  listFiles(opts?: { includeFuture?: boolean }): Promise<SimFileSummary[]> {
    return this.call('GET', `/__sim/files${opts?.includeFuture ? '?includeFuture=1' : ''}`);
  }

  /** The uncompressed bytes the LogFile endpoint serves for a file. */
  async fileCsv(id: string): Promise<NodeJS.ReadableStream> {
    const res = await fetch(`${this.base}/__sim/files/${encodeURIComponent(id)}/csv`);
    if (!res.ok || !res.body) throw new Error(await errorOf(res));
    return Readable.fromWeb(res.body as WebReadableStream);
  }

  async inject(fault: SimFault): Promise<void> {
    await this.call('POST', '/__sim/faults', fault);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/__sim/faults');
  }

  async setOrg(p: SimOrgSettings): Promise<void> {
    await this.call('POST', '/__sim/org', p);
  }

  stats(): Promise<SimStats> {
    return this.call('GET', '/__sim/stats');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(await errorOf(res));
    return (res.status === 204 ? undefined : await res.json()) as T;
  }
}

async function errorOf(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through
  }
  return `HTTP ${res.status}: ${text}`;
}
