import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * CPU time a process has used, user + system, in clock ticks, from the text
 * of `/proc/<pid>/stat`. The second field (the command name, in parentheses)
 * may itself hold spaces and parentheses, so fields are counted from the
 * last `)`: after it come state (field 3), …, utime (14) and stime (15).
 */
export function cpuTicksFromStat(stat: string): number {
  const close = stat.lastIndexOf(')');
  if (close < 0) throw new Error('not a /proc/<pid>/stat line: no command name in parentheses');
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime)) {
    throw new Error('not a /proc/<pid>/stat line: utime and stime are not whole numbers');
  }
  return utime + stime;
}

/** A `Vm…:` line of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in bytes; undefined when absent. */
export function statusBytes(status: string, field: 'VmRSS' | 'VmHWM'): number | undefined {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Clock ticks per second (`getconf CLK_TCK`), which /proc counts CPU time in; 100 on every common Linux. */
function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

let ticksPerSecond: number | undefined;

/** CPU seconds (user + system) the process has used so far; undefined once it is gone or off Linux. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    ticksPerSecond ??= clockTicksPerSecond();
    return cpuTicksFromStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** The process's resident memory now (`VmRSS`) or at its peak so far (`VmHWM`), in bytes. */
export function residentBytes(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number | undefined {
  try {
    return statusBytes(fs.readFileSync(`/proc/${pid}/status`, 'utf8'), field);
  } catch {
    return undefined;
  }
}
