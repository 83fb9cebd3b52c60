import fs from 'node:fs/promises';
import type { Logger } from '../../lib/logger';

/**
 * One writer per CSV file. A second CSV worker started on the same file
 * (say, to scale it out like the MySQL worker) must not append to it too, so
 * it stands by until the lock is free and then takes over; this is what
 * makes running several CSV workers safe.
 *
 * The lock is a file holding the owner's pid, created with a hard link,
 * which fails atomically when the lock exists. A lock whose pid is no longer
 * running was left by a crash (kill -9) and is taken over.
 */
export class WriterLock {
  private held = false;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
    private readonly pollMs = 1_000,
  ) {}

  /** Waits until this process owns the lock. */
  async acquire(): Promise<void> {
    let announced = false;
    for (;;) {
      if (await this.tryAcquire()) {
        if (announced) this.log.info({ lock: this.file }, 'CSV writer lock taken over; writing');
        return;
      }
      if (!announced) {
        this.log.info(
          { lock: this.file, owner: await this.owner() },
          'another CSV worker writes this file; standing by until it stops',
        );
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    if ((await this.owner()) === process.pid) await fs.rm(this.file, { force: true });
  }

  private async tryAcquire(): Promise<boolean> {
    const candidate = `${this.file}.${process.pid}`;
    await fs.writeFile(candidate, `${process.pid}\n`);
    try {
      await fs.link(candidate, this.file);
      this.held = true;
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await this.owner();
      if (owner === undefined || !isRunning(owner)) {
        this.log.warn({ lock: this.file, owner }, 'removing the lock of a CSV worker that is no longer running');
        await fs.rm(this.file, { force: true });
      }
      return false;
    } finally {
      await fs.rm(candidate, { force: true });
    }
  }

  private async owner(): Promise<number | undefined> {
    try {
      const pid = Number((await fs.readFile(this.file, 'utf8')).trim());
      return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
