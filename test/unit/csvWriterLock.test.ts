import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { BuiltProgram, type LogLine } from '../support/builtProgram';
import { lockHolderRecord, parseLockHolder } from '../../workers/csv/lockHolder';
import { WriterLock } from '../../workers/csv/writerLock';

const POLL_MS = 50;
const taken = (line: LogLine): boolean => line.msg?.startsWith('CSV writer lock taken') === true;
const takenOver = (line: LogLine): boolean => line.msg === 'CSV writer lock taken over; writing';
const standsBy = (line: LogLine): boolean => line.msg?.includes('standing by') === true;

const folder = mkdtempSync(path.join(tmpdir(), 'writer-lock-'));
let files = 0;
function newLockFile(): string {
  return path.join(folder, `bids-${++files}.csv.lock`);
}

const holders: BuiltProgram[] = [];
/** A separate process taking the lock on `file` (the kernel's lock is per open file, so per process here). */
function holderProcess(file: string): BuiltProgram {
  const holder = new BuiltProgram('test/support/writerLockHolder.js', {
    WRITER_LOCK_FILE: file,
    WRITER_LOCK_POLL_MS: String(POLL_MS),
  });
  holders.push(holder);
  return holder;
}

/** A logger whose lines the test can read. */
function capturingLogger(): { log: pino.Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { log, lines };
}

/** Waits `polls` poll periods: long enough for a standby that could take the lock to have done so. */
function severalPolls(polls = 10): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, polls * POLL_MS));
}

describe('the CSV writer lock', () => {
  after(async () => {
    for (const holder of holders) await holder.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('makes a second process stand by, naming the holder once, and take over when the holder is SIGKILLed', async () => {
    const file = newLockFile();
    const first = holderProcess(file);
    await first.waitForLog(taken);
    const second = holderProcess(file);
    const standing = await second.waitForLog(standsBy);
    assert.deepEqual(
      {
        host: (standing.holder as Record<string, unknown>).host,
        pid: (standing.holder as Record<string, unknown>).pid,
      },
      { host: hostname(), pid: first.pid },
      'the standby says who holds the lock',
    );
    await severalPolls();
    assert.equal(second.lines.some(taken), false, 'no second holder while the first lives');

    first.kill('SIGKILL');
    await first.exit();
    const takeover = await second.waitForLog(takenOver);
    assert.equal((takeover.previous as Record<string, unknown>).pid, first.pid, 'it names the holder it replaced');
    assert.equal(second.lines.filter(standsBy).length, 1, 'standing by is logged once, not every poll');
    await second.stop();
  });

  it('is released at once by a stopping holder: a standby takes over and the file no longer names anyone', async () => {
    const file = newLockFile();
    const first = holderProcess(file);
    await first.waitForLog(taken);
    const second = holderProcess(file);
    await second.waitForLog(standsBy);

    assert.equal((await first.stop()).code, 0);
    assert.ok(first.lines.some((line) => line.msg === 'CSV writer lock released'));
    const takeover = await second.waitForLog(takenOver);
    assert.equal(takeover.previous, undefined, 'a released lock names no previous holder');
    await second.stop();
    assert.ok(existsSync(file), 'the lock file stays: removing it would let two writers lock two different files');
    assert.equal(readFileSync(file, 'utf8'), '', 'the record is blanked on release');
  });

  it('lets exactly one of two standbys take a freed lock, and the other only once that one is gone', async () => {
    const file = newLockFile();
    for (let round = 0; round < 3; round++) {
      const holder = holderProcess(file);
      await holder.waitForLog(taken);
      const standbys = [holderProcess(file), holderProcess(file)];
      for (const standby of standbys) await standby.waitForLog(standsBy);

      holder.kill('SIGKILL');
      await holder.exit();
      const winner = await Promise.any(standbys.map((standby) => standby.waitForLog(takenOver).then(() => standby)));
      const loser = standbys.find((standby) => standby !== winner)!;
      await severalPolls();
      assert.equal(loser.lines.some(taken), false, `round ${round}: both standbys took the lock`);

      winner.kill('SIGKILL');
      await winner.exit();
      await loser.waitForLog(takenOver);
      await loser.stop();
    }
  });

  it('is taken at once when the file names a process that is running: a pid proves nothing after a restart', async () => {
    for (const left of [
      `${process.pid}\n`,
      lockHolderRecord({ host: hostname(), pid: process.pid, instance: 'another', since: new Date().toISOString() }),
    ]) {
      const file = newLockFile();
      writeFileSync(file, left);
      const { log, lines } = capturingLogger();
      const lock = new WriterLock(file, log, POLL_MS);
      await lock.acquire();
      assert.equal(lock.isHeld, true);
      assert.equal(lines.some(standsBy), false, 'it never stood by');
      assert.equal(parseLockHolder(readFileSync(file, 'utf8'))?.pid, process.pid);
      await lock.release();
    }
  });

  it('excludes two lock objects of one process from each other too', async () => {
    const file = newLockFile();
    const first = new WriterLock(file, capturingLogger().log, POLL_MS);
    await first.acquire();
    const { log, lines } = capturingLogger();
    const second = new WriterLock(file, log, POLL_MS);
    const acquired = second.acquire();
    await severalPolls();
    assert.equal(second.isHeld, false, 'the second waits while the first holds it');
    assert.ok(lines.some(standsBy));
    await first.release();
    await acquired;
    assert.equal(second.isHeld, true);
    await second.release();
  });

  it('reads a holder record back, and anything else as not known', () => {
    const holder = { host: 'csv-1', pid: 1, instance: 'a1b2', since: '2025-01-01T00:00:00.000Z' };
    assert.deepEqual(parseLockHolder(lockHolderRecord(holder)), holder);
    for (const text of ['', '1\n', '{"host":"csv-1","pid":', '{"host":"csv-1","pid":0,"instance":"x","since":"t"}']) {
      assert.equal(parseLockHolder(text), undefined, JSON.stringify(text));
    }
  });
});
