import { ConfigError } from './env';

/**
 * The entry point of every process: runs `start`, and turns a failure to
 * start into one specific line on stderr and exit code 1, never a stack
 * trace. A failure that is not about settings or reachability still gets
 * its message on one line, with the stack only when DEBUG is set.
 */
export function runMain(role: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    process.stderr.write(`${role}: ${describeStartupFailure(error)}\n`);
    if (process.env.DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}

/** One line saying why a process could not start. */
export function describeStartupFailure(error: unknown): string {
  if (error instanceof ConfigError) return `configuration error: ${error.message}`;
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
