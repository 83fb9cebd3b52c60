import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedRead } from '../../web/sharedRead';
import { SharedReadsByKey } from '../../web/sharedReadsByKey';

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('SharedRead', () => {
  it('runs one read for every caller that asks while it is in flight, and a new one after it settled', async () => {
    let reads = 0;
    let finish: (value: number) => void = () => undefined;
    const shared = new SharedRead(() => {
      reads += 1;
      return new Promise<number>((resolve) => (finish = resolve));
    });
    const first = shared.get();
    const second = shared.get();
    finish(7);
    assert.deepEqual(await Promise.all([first, second]), [7, 7]);
    assert.equal(reads, 1);

    const third = shared.get();
    finish(8);
    assert.equal(await third, 8);
    assert.equal(reads, 2, 'a settled answer is not kept');
  });

  it('passes a failed read to every caller waiting for it, then reads again', async () => {
    let reads = 0;
    const shared = new SharedRead(async () => {
      reads += 1;
      if (reads === 1) throw new Error('down');
      return 'up';
    });
    await Promise.all([assert.rejects(shared.get(), /down/), assert.rejects(shared.get(), /down/)]);
    assert.equal(await shared.get(), 'up');
    assert.equal(reads, 2);
  });

  it('keeps an answer for freshMs after it arrived, then reads again', async () => {
    const clock = manualClock();
    let reads = 0;
    const shared = new SharedRead(async () => ++reads, 1000, clock.now);
    assert.equal(await shared.get(), 1);
    clock.advance(999);
    assert.deepEqual(await Promise.all([shared.get(), shared.get()]), [1, 1], 'still fresh');
    assert.equal(reads, 1);
    clock.advance(1);
    assert.equal(await shared.get(), 2, 'stale after freshMs');
    assert.equal(reads, 2);
  });

  it('does not keep a failed read even within freshMs', async () => {
    let reads = 0;
    const shared = new SharedRead(async () => {
      reads += 1;
      if (reads === 1) throw new Error('down');
      return 'up';
    }, 60_000);
    await assert.rejects(shared.get(), /down/);
    assert.equal(await shared.get(), 'up');
    assert.equal(await shared.get(), 'up');
    assert.equal(reads, 2);
  });
});

describe('SharedReadsByKey', () => {
  it('shares one read per key and keeps keys apart', async () => {
    const asked: string[] = [];
    const reads = new SharedReadsByKey(
      async (item: string) => {
        asked.push(item);
        return item.toUpperCase();
      },
      60_000,
      10,
    );
    assert.deepEqual(await Promise.all([reads.get('lamp'), reads.get('lamp'), reads.get('clock')]), [
      'LAMP',
      'LAMP',
      'CLOCK',
    ]);
    assert.equal(await reads.get('lamp'), 'LAMP');
    assert.deepEqual(asked, ['lamp', 'clock']);
  });

  it('holds at most maxKeys keys, forgetting the one asked for least recently', async () => {
    const asked: string[] = [];
    const reads = new SharedReadsByKey(
      async (item: string) => {
        asked.push(item);
        return item;
      },
      60_000,
      2,
    );
    await reads.get('a');
    await reads.get('b');
    await reads.get('a'); // now b is the least recently asked
    await reads.get('c'); // forgets b
    assert.equal(reads.size, 2);
    await reads.get('a');
    await reads.get('c');
    assert.deepEqual(asked, ['a', 'b', 'c'], 'a and c were kept');
    await reads.get('b');
    assert.deepEqual(asked, ['a', 'b', 'c', 'b'], 'b was forgotten and read again');
    for (let i = 0; i < 1000; i += 1) await reads.get(`lot ${i}`);
    assert.equal(reads.size, 2, 'however many lots are asked for');
  });
});
