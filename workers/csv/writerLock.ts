import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { tryLock, unlock } from 'fs-native-extensions';
import { ConfigError } from '../../lib/env';
import type { Logger } from '../../lib/logger';
import { currentLockHolder, lockHolderRecord, parseLockHolder, type LockHolder } from './lockHolder';

/** errno codes with which a file system says it keeps no locks: a setting to fix, not a holder to wait for. */
const LOCKS_UNSUPPORTED = new Set(['ENOLCK', 'EINVAL', 'EOPNOTSUPP', 'ENOTSUP', 'ENOSYS']);

/** What one attempt found. */
type Attempt =
  | { outcome: 'taken'; previous: LockHolder | undefined; leftBehind: boolean }
  | { outcome: 'held'; holder: LockHolder | undefined }
  /** The path was renamed or removed between opening and locking: locking that copy excludes nobody. */
  | { outcome: 'replaced' };

/**
 * One writer per CSV file. A second CSV worker started on the same file
 * (say, to scale it out like the MySQL worker) must not append to it too, so
 * it stands by until the lock is free and then takes over; this is what
 * makes running several CSV workers safe.
 *
 * The lock is the kernel's: an exclusive open-file-description lock
 * (`fcntl(F_OFD_SETLK)`, through `fs-native-extensions`) on `CSV_PATH.lock`.
 * Why this and not a pid in a file:
 *
 * - The kernel drops the lock when the holder's last descriptor closes,
 *   however the process ends: stop, crash, SIGKILL, OOM kill, container
 *   stop. Nothing is inferred from a pid, so a restarted container that is
 *   PID 1 again, or a pid reused by an unrelated program, cannot make a
 *   worker wait for a lock nobody holds.
 * - Taking it is one atomic system call. Two standbys polling for a freed
 *   lock cannot both win, and no one ever removes a lock file, so no one can
 *   remove a lock another just took.
 * - Locks belong to the inode, so containers on one host that share the
 *   file's volume exclude each other. (A network file system excludes only
 *   if its server keeps POSIX locks.)
 * - Unlike classic `fcntl` locks, OFD locks conflict between two descriptors
 *   of one process too, and are not dropped when some other descriptor of the
 *   file is closed; Node opens files close-on-exec, so no child inherits it.
 *
 * The one way round it is replacing the lock file while a worker holds it
 * (then the old and the new file could each have a holder); so the file is
 * never deleted, and a worker that locked a file the path no longer names
 * lets it go and tries again.
 *
 * The file's content is only a record of the holder (host, pid, a random
 * instance id, since when) for the standby's log line: it decides nothing.
 */
export class WriterLock {
  private handle: fs.FileHandle | undefined;
  private readonly instance = randomUUID();

  constructor(
    private readonly file: string,
    private readonly log: Logger,
    private readonly pollMs = 1_000,
  ) {}

  get isHeld(): boolean {
    return this.handle !== undefined;
  }

  /** Waits until this lock object holds the lock; logs once if it has to stand by, and when it takes over. */
  async acquire(): Promise<void> {
    let stoodBy = false;
    while (!this.handle) {
      const attempt = await this.tryAcquire();
      if (attempt.outcome === 'replaced') {
        this.log.warn(
          { lock: this.file },
          'the CSV writer lock file was replaced while being locked; locking it again',
        );
        continue;
      }
      if (attempt.outcome === 'taken') {
        const previous = attempt.previous && describe(attempt.previous);
        if (stoodBy) {
          this.log.info({ lock: this.file, previous }, 'CSV writer lock taken over; writing');
        } else if (attempt.leftBehind) {
          this.log.warn(
            { lock: this.file, previous },
            'CSV writer lock taken; its previous holder stopped without releasing it (killed or crashed)',
          );
        } else {
          this.log.info({ lock: this.file }, 'CSV writer lock taken');
        }
        return;
      }
      if (!stoodBy) {
        this.log.info(
          { lock: this.file, holder: attempt.holder ? describe(attempt.holder) : 'unknown', pollMs: this.pollMs },
          'another CSV worker writes this file (it holds the lock); standing by until it stops',
        );
        stoodBy = true;
      }
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }

  /**
   * One attempt, never standing by: for `sink:reset`, which holds the lock
   * while it rewrites the checkpoint so no worker starts writing meanwhile,
   * and refuses (naming the holder) when a worker holds it.
   */
  async tryTake(): Promise<{ taken: true } | { taken: false; holder: string }> {
    for (;;) {
      const attempt = await this.tryAcquire();
      if (attempt.outcome === 'replaced') continue;
      if (attempt.outcome === 'taken') return { taken: true };
      const holder = attempt.holder;
      return {
        taken: false,
        holder: holder
          ? `host ${holder.host}, pid ${holder.pid}, since ${holder.since}`
          : 'a holder that left no record',
      };
    }
  }

  /**
   * Lets the lock go at once (a standby takes over within its poll). The
   * holder record is blanked first, so the file never names a worker that
   * has stopped; the file itself stays (see the class comment).
   */
  async release(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    this.handle = undefined;
    try {
      await handle.truncate(0);
      unlock(handle.fd);
    } finally {
      // Closing alone would release it too: the kernel drops OFD locks with the last descriptor.
      await handle.close();
    }
    this.log.info({ lock: this.file }, 'CSV writer lock released');
  }

  private async tryAcquire(): Promise<Attempt> {
    // Read-write, created if missing, never truncated on open: a standby
    // opening the file must not blank the holder's record.
    const handle = await fs.open(this.file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o644);
    let keep = false;
    try {
      if (!this.lockOrAnswerHeld(handle.fd)) {
        return { outcome: 'held', holder: parseLockHolder(await handle.readFile('utf8')) };
      }
      if (!(await this.pathStillNames(handle))) return { outcome: 'replaced' };
      const left = await handle.readFile('utf8');
      await handle.truncate(0);
      await handle.write(lockHolderRecord(currentLockHolder(this.instance)), 0, 'utf8');
      this.handle = handle;
      keep = true;
      return { outcome: 'taken', previous: parseLockHolder(left), leftBehind: left.trim() !== '' };
    } finally {
      if (!keep) await handle.close();
    }
  }

  /** Takes the kernel lock if free; false if another holds it. */
  private lockOrAnswerHeld(fd: number): boolean {
    try {
      return tryLock(fd);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      // POSIX lets a held lock answer EACCES as well as EAGAIN.
      if (code === 'EACCES') return false;
      if (LOCKS_UNSUPPORTED.has(code)) {
        throw new ConfigError(
          'CSV_PATH',
          `is on a file system that does not keep file locks (${code} locking ${this.file}); ` +
            'put the export on a local file system (or a volume of one) so one worker at a time can write it',
        );
      }
      throw error;
    }
  }

  private async pathStillNames(handle: fs.FileHandle): Promise<boolean> {
    const [locked, named] = await Promise.all([handle.stat(), fs.stat(this.file).catch(() => undefined)]);
    return named !== undefined && named.ino === locked.ino && named.dev === locked.dev;
  }
}

/** The holder as logged: where and who, not the instance id's full length. */
function describe(holder: LockHolder): Record<string, string | number> {
  return { host: holder.host, pid: holder.pid, instance: holder.instance.slice(0, 8), since: holder.since };
}
