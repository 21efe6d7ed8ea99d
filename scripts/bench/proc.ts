/**
 * Memory of processes, for the benchmarks: resident set size now (VmRSS) and at its peak (VmHWM), read from
 * /proc/<pid>/status on Linux (ps elsewhere, which knows no peak), and a sampler that polls them every 50 ms.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const MB = 1024 * 1024;
export const GIB = 1024 * MB;

/** A `kB` field of /proc/<pid>/status, in bytes; undefined when not on Linux or the process is gone. */
function statusField(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in bytes (Linux /proc, else ps). Throws when the process is gone. */
export function rssOf(pid: number): number {
  const rss = statusField(pid, 'VmRSS');
  if (rss !== undefined) return rss;
  return (
    Number(
      execFileSync('ps', ['-o', 'rss=', '-p', String(pid)])
        .toString()
        .trim(),
    ) * 1024
  );
}

/** Highest resident set size of a process over its life (VmHWM), in bytes; undefined when unknown. */
export function peakRssOf(pid: number | 'self'): number | undefined {
  return statusField(pid, 'VmHWM');
}

export interface RssSampler {
  /** Highest RSS seen since the last `reset()` (samples of VmRSS). */
  peak(): number;
  /** Highest RSS over the sampler's life: its VmRSS samples and, on Linux, the kernel's own high-water mark. */
  overall(): number;
  reset(): void;
  stop(): void;
}

/**
 * Samples a process's RSS every 50 ms. The kernel's VmHWM is read too, so a peak between two samples (or while
 * the process's event loop is blocked, which does not matter here since another process samples it) is not missed.
 */
export function rssSampler(pid: number, intervalMs = 50): RssSampler {
  let peak = 0;
  let overall = 0;
  const sample = (): void => {
    try {
      const rss = rssOf(pid);
      peak = Math.max(peak, rss);
      overall = Math.max(overall, rss, peakRssOf(pid) ?? 0);
    } catch {
      // the process is gone
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peak: () => (sample(), peak),
    overall: () => (sample(), overall),
    reset: () => {
      peak = 0;
      sample();
    },
    stop: () => clearInterval(timer),
  };
}

let clockTicks: number | undefined;

/** CPU time (user + system, all threads) a process has used so far, in seconds; undefined when not on Linux. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14, 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return undefined;
  }
}

/** CPU time all processes of the machine have used so far (busy time of every core, from /proc/stat), seconds. */
export function machineBusySeconds(): number | undefined {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const busy = (cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0) + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    return busy / clockTicks;
  } catch {
    return undefined;
  }
}
