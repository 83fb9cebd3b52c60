import { cpuSeconds } from './processUsage';

/**
 * CPU used by each process over the same `seconds` while nothing is asked
 * of them, as % of one core: (utime + stime) from /proc before and after.
 * Measured together, so a run pays the wait once.
 */
export async function measureIdleCpu(pids: readonly number[], seconds: number): Promise<(number | null)[]> {
  const before = pids.map((pid) => cpuSeconds(pid));
  const began = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - began) / 1000;
  return pids.map((pid, index) => {
    const start = before[index];
    const end = cpuSeconds(pid);
    return start === undefined || end === undefined ? null : ((end - start) / elapsed) * 100;
  });
}
