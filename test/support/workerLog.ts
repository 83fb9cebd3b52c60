import type { LogLine } from './builtProgram';

/** A worker's log line saying it now owns partitions (at least `count` of them). */
export function ownsPartitions(line: LogLine, count = 1): boolean {
  if (line.msg !== 'partitions assigned' && line.msg !== 'partitions revoked') return false;
  return Array.isArray(line.assigned) && line.assigned.length >= count;
}

/** The partitions a worker owns after the last assignment change it logged (assignments are incremental). */
export function currentPartitions(lines: readonly LogLine[]): number[] {
  const changes = lines.filter((line) => line.msg === 'partitions assigned' || line.msg === 'partitions revoked');
  const last = changes[changes.length - 1];
  return Array.isArray(last?.assigned) ? (last.assigned as number[]) : [];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
