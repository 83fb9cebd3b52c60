import { createLogger } from '../../lib/logger';
import { WriterLock } from '../../workers/csv/writerLock';

/**
 * A process that takes the CSV writer lock on `WRITER_LOCK_FILE` and holds
 * it until SIGTERM (then releases it and exits 0) or until it is killed. The
 * kernel's lock belongs to a process's open file, so exclusion between
 * workers is tested with processes like this one. Run through BuiltProgram:
 * its log lines are the lock's own.
 */
const file = process.env.WRITER_LOCK_FILE;
if (!file) throw new Error('WRITER_LOCK_FILE names the lock file to hold');
const log = createLogger('lock-holder');
const lock = new WriterLock(file, log, Number(process.env.WRITER_LOCK_POLL_MS ?? '1000'));

// Keeps the process alive while standing by and while holding.
const alive = setInterval(() => undefined, 60_000);
process.once('SIGTERM', () => {
  void lock.release().then(() => {
    clearInterval(alive);
    process.exit(0);
  });
});
lock.acquire().catch((error: unknown) => {
  log.error({ err: String(error) }, 'cannot take the lock');
  process.exit(1);
});
