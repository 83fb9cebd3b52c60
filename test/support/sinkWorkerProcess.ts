import { spawn, type ChildProcess } from 'node:child_process';
import { fromRoot } from '../../lib/paths';

/** One structured log line a worker printed. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

/**
 * A built sink worker (`dist/workers/<name>/main.js`) running as a child
 * process with extra environment, its JSON log lines collected so a test can
 * wait for and assert on them.
 */
export class SinkWorkerProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private listeners: (() => void)[] = [];

  constructor(worker: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [fromRoot('dist', 'workers', worker, 'main.js')], {
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
  async exit(timeoutMs = 30_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`worker still running after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Kills the worker if still running and waits for it to go; for `finally` blocks. */
  async dispose(): Promise<void> {
    if (this.hasExited) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
