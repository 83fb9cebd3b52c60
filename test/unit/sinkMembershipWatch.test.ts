import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MembershipWatch } from '../../workers/runtime/membershipWatch';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('the membership watch that fences a stalled worker', () => {
  it('trusts the assignment while the process keeps ticking', () => {
    const time = clock();
    const watch = new MembershipWatch(10_000, 7_000, time.now);
    for (let i = 0; i < 100; i++) {
      time.advance(250);
      watch.tick();
    }
    assert.equal(watch.doubt(), undefined);
  });

  it('doubts the assignment at once when asked right after a stall longer than half the session timeout', () => {
    const time = clock();
    const watch = new MembershipWatch(10_000, 7_000, time.now);
    time.advance(12_000);
    assert.match(watch.doubt() ?? '', /stalled for 12000 ms/);
  });

  it('trusts it again once it has polled for the confirmation time without a revoke', () => {
    const time = clock();
    const watch = new MembershipWatch(10_000, 7_000, time.now);
    time.advance(12_000);
    assert.ok(watch.doubt());
    for (let waited = 0; waited < 6_750; waited += 250) {
      time.advance(250);
      assert.ok(watch.doubt(), `still doubtful after ${waited + 250} ms`);
    }
    time.advance(250);
    assert.equal(watch.doubt(), undefined);
  });

  it('trusts it again as soon as a rebalance is answered', () => {
    const time = clock();
    const watch = new MembershipWatch(10_000, 7_000, time.now);
    time.advance(30_000);
    assert.ok(watch.doubt());
    watch.settled();
    assert.equal(watch.doubt(), undefined);
  });

  it('does not doubt a pause shorter than half the session timeout', () => {
    const time = clock();
    const watch = new MembershipWatch(10_000, 7_000, time.now);
    time.advance(4_900);
    assert.equal(watch.doubt(), undefined);
  });
});
