import { readdirSync, readFileSync } from 'node:fs';

/** A process as Linux's /proc shows it. */
export interface RunningProcess {
  pid: number;
  /** Its command line, arguments joined by spaces. */
  command: string;
}

/** The fields of /proc/<pid>/stat after the command name, which sits in parentheses and may hold anything. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every process below `pid` (children, their children…), read from /proc at this moment. */
export function descendantsOf(pid: number): RunningProcess[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (!Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: RunningProcess[] = [];
  const queue = [...(children.get(pid) ?? [])];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    found.push({ pid: next, command: commandOf(next) });
    queue.push(...(children.get(next) ?? []));
  }
  return found;
}

/**
 * Whether the process is still alive: a zombie waiting to be reaped has
 * ended, and a pid the system gave to another program since is not it.
 */
export function isRunning(process: RunningProcess): boolean {
  const state = statFields(process.pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X' && commandOf(process.pid) === process.command;
}
