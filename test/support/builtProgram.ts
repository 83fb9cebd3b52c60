import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fromRoot } from '../../lib/paths';

/** One line a program printed on stdout: its JSON log line, or `{ msg: text }` for plain text. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/** How a program ended. */
export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One of our built programs (`dist/web/main.js`, `dist/workers/csv/main.js`,
 * `dist/scripts/start.js`…) running as a child process with extra
 * environment, its stdout lines collected so a test can wait for and assert
 * on them.
 */
export class BuiltProgram {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  /** Resolves once the program has ended. */
  readonly exited: Promise<ProgramExit>;
  private listeners: (() => void)[] = [];

  /**
   * `script` is the path under dist/, e.g. `web/main.js`; `args` follow it on the command line. `root` is
   * the project root to run it from: this project, or a copy of its built files. `nodeFlags` go before the
   * script, as the program's launchers put them (web/nodeFlags.ts).
   */
  constructor(
    script: string,
    env: Record<string, string>,
    args: readonly string[] = [],
    root: string = fromRoot(),
    nodeFlags: readonly string[] = [],
  ) {
    this.child = spawn(process.execPath, [...nodeFlags, path.join(root, 'dist', script), ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop() ?? '';
      for (const text of complete) {
        if (text.trim() === '') continue;
        try {
          this.lines.push(JSON.parse(text) as LogLine);
        } catch {
          this.lines.push({ msg: text });
        }
      }
      for (const listener of this.listeners) listener();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.stderr.push(chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Resolves with the first log line (already printed or still to come) that `matches`, or rejects after `timeoutMs`. */
  waitForLog(matches: (line: LogLine) => boolean, timeoutMs = 30_000): Promise<LogLine> {
    return new Promise<LogLine>((resolve, reject) => {
      const check = (): boolean => {
        const found = this.lines.find(matches);
        if (!found) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = this.lines.slice(-5).map((line) => JSON.stringify(line));
        reject(
          new Error(
            `no matching log line within ${timeoutMs} ms; last lines: ${recent.join('\n')}; stderr: ${this.stderr.join('')}`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((listener) => listener !== onLine);
      };
      const onLine = (): void => void check();
      if (check()) return;
      this.listeners.push(onLine);
    });
  }

  kill(signal: NodeJS.Signals): void {
    if (!this.hasExited) this.child.kill(signal);
  }

  /** Resolves with how the process ended; rejects if it has not ended within `timeoutMs`. */
  async exit(timeoutMs = 30_000): Promise<ProgramExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Asks the program to stop (SIGTERM, as an operator would) and waits for it to end. */
  async stop(timeoutMs = 60_000): Promise<ProgramExit> {
    this.kill('SIGTERM');
    return this.exit(timeoutMs);
  }

  /** Kills the program if still running and waits for it to go; for `finally` blocks. */
  async dispose(): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** A built sink worker, `dist/workers/<worker>/main.js`; `root`: run it from a copy of the built project. */
export class SinkWorkerProcess extends BuiltProgram {
  constructor(worker: string, env: Record<string, string>, root?: string) {
    super(`workers/${worker}/main.js`, env, [], root);
  }
}
