import { hostname } from 'node:os';

/**
 * Who holds the CSV writer lock, as written into the lock file by its
 * holder. It only feeds log lines ("standing by: host h, pid p holds the
 * file since t"): the kernel's lock decides who writes, never this record,
 * so a stale or forged record cannot keep a worker standing by.
 */
export interface LockHolder {
  /** The machine, or under Docker the container's hostname. */
  host: string;
  pid: number;
  /** Random per lock object: tells apart two holders with one host and pid (a restarted container's PID 1). */
  instance: string;
  /** ISO time the lock was taken. */
  since: string;
}

export function currentLockHolder(instance: string, now = new Date()): LockHolder {
  return { host: hostname(), pid: process.pid, instance, since: now.toISOString() };
}

export function lockHolderRecord(holder: LockHolder): string {
  return `${JSON.stringify(holder)}\n`;
}

/**
 * Reads a holder record back; anything else (an empty file once its holder
 * released it, a torn write, the bare pid an older version wrote) answers
 * undefined: "not known".
 */
export function parseLockHolder(text: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { host, pid, instance, since } = value as Record<string, unknown>;
  if (typeof host !== 'string' || typeof instance !== 'string' || typeof since !== 'string') return undefined;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { host, pid, instance, since };
}
