// Small measurement helpers shared by the load tools.
import { readFileSync } from 'node:fs';

/** The p-th percentile (0–100) of `xs` by nearest rank (NaN for none); `xs` is not reordered. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * user + system CPU seconds of a local process, from /proc/<pid>/stat (clock ticks of 1/100 s).
 * CPU time, unlike latency, barely moves when other work shares the machine.
 */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
