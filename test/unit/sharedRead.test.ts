import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SharedRead } from '../../web/sharedRead';

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
});
