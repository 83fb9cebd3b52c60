import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLateBid } from '../../workers/stats/lateness';
import { recountRanges } from '../../workers/stats/recountRanges';
import { readStatsSettings } from '../../workers/stats/statsSettings';
import { windowOf } from '../../workers/stats/tumblingWindow';
import { EVERY_ITEM, foldBids, type PlacedBid, type WindowDelta } from '../../workers/stats/windowDeltas';

const MINUTE = Date.UTC(2026, 10, 23, 10, 15, 0);

function placed(partition: number, offset: number, item: string, name: string, price: number, atMs: number): PlacedBid {
  return { partition, offset, bid: { item, name, price, bid_ts: new Date(atMs).toISOString() } };
}

function rowOf(windows: readonly WindowDelta[], seconds: number, startMs: number, item: string): WindowDelta {
  const found = windows.find((w) => w.seconds === seconds && w.startMs === startMs && w.item === item);
  assert.ok(found, `a ${seconds} s window at ${new Date(startMs).toISOString()} for "${item}"`);
  return found;
}

describe('tumbling windows of bid time', () => {
  it('are aligned to the Unix epoch, a window holding its start and not its end', () => {
    assert.deepEqual(windowOf(MINUTE, 60), { seconds: 60, startMs: MINUTE, endMs: MINUTE + 60_000 });
    assert.deepEqual(windowOf(MINUTE + 59_999, 60), { seconds: 60, startMs: MINUTE, endMs: MINUTE + 60_000 });
    assert.deepEqual(windowOf(MINUTE + 2_999, 3), { seconds: 3, startMs: MINUTE, endMs: MINUTE + 3_000 });
    assert.deepEqual(windowOf(MINUTE + 3_000, 3), { seconds: 3, startMs: MINUTE + 3_000, endMs: MINUTE + 6_000 });
    assert.equal(windowOf(0, 3).startMs, 0);
  });
});

describe('late bids', () => {
  it('are those whose window end plus the allowed lateness the stream time has reached', () => {
    const end = MINUTE + 3_000;
    assert.equal(isLateBid(undefined, end, 0), false, 'no bid read before: never late');
    assert.equal(isLateBid(end + 9_999, end, 10_000), false);
    assert.equal(isLateBid(end + 10_000, end, 10_000), true);
    assert.equal(isLateBid(end, end, 0), true, 'no lateness allowed: late once the stream reaches the end');
  });

  it('take the allowed lateness from STATS_ALLOWED_LATENESS_MS, 10 s unless set, never negative', () => {
    assert.equal(readStatsSettings({}).allowedLatenessMs, 10_000);
    assert.equal(readStatsSettings({ STATS_ALLOWED_LATENESS_MS: '0' }).allowedLatenessMs, 0);
    assert.throws(() => readStatsSettings({ STATS_ALLOWED_LATENESS_MS: '-1' }), /STATS_ALLOWED_LATENESS_MS/);
    assert.throws(() => readStatsSettings({ STATS_ALLOWED_LATENESS_MS: '2s' }), /STATS_ALLOWED_LATENESS_MS/);
  });
});

describe('folding a batch into window deltas', () => {
  it('counts bids, distinct bidders, prices per item and over every item, in both window sizes', () => {
    const { windows } = foldBids(
      [
        placed(0, 0, 'Clock', 'Ada', 10, MINUTE + 100),
        placed(0, 1, 'Clock', 'Ada', 30, MINUTE + 200),
        placed(0, 2, 'Vase', 'Grace', 20, MINUTE + 2_900),
        placed(0, 3, 'Clock', 'Linus', 5, MINUTE + 4_000),
      ],
      new Map(),
      10_000,
    );
    const clock3 = rowOf(windows, 3, MINUTE, 'Clock');
    assert.deepEqual(
      { bids: clock3.bids, sum: clock3.priceSum, high: clock3.highest, low: clock3.lowest, late: clock3.lateBids },
      { bids: 2, sum: 40, high: 30, low: 10, late: 0 },
    );
    assert.deepEqual([...clock3.bidders], [['Ada', 2]]);
    const every60 = rowOf(windows, 60, MINUTE, EVERY_ITEM);
    assert.deepEqual([every60.bids, every60.priceSum, every60.highest, every60.lowest], [4, 65, 30, 5]);
    assert.deepEqual([...every60.bidders].sort(), [
      ['Ada', 2],
      ['Grace', 1],
      ['Linus', 1],
    ]);
    assert.equal(rowOf(windows, 3, MINUTE + 3_000, 'Clock').bids, 1);
    // 3 s: Clock, Vase and every item in the first window, Clock and every item in the second; 60 s: Clock, Vase, every item.
    assert.equal(windows.length, 5 + 3);
  });

  it('decides lateness by the stream time of the bid’s own partition, in offset order, per window size', () => {
    const { windows, streamTimes } = foldBids(
      [
        // Given out of offset order: the fold takes offset order.
        placed(0, 1, 'Clock', 'Late', 99, MINUTE + 1_000),
        placed(0, 0, 'Clock', 'Ada', 10, MINUTE + 15_000),
        // Partition 1's stream time is its own: the same bid time is on time there.
        placed(1, 7, 'Clock', 'Grace', 20, MINUTE + 1_000),
      ],
      new Map([[1, MINUTE]]),
      10_000,
    );
    const clock3 = rowOf(windows, 3, MINUTE, 'Clock');
    assert.equal(clock3.lateBids, 1, 'late in its 3 s window: 15 s ≥ 3 s + 10 s');
    assert.equal(clock3.bids, 1, 'partition 1’s bid counted');
    assert.deepEqual([...clock3.bidders], [['Grace', 1]], 'a late bidder is not among the bidders');
    const clock60 = rowOf(windows, 60, MINUTE, 'Clock');
    assert.equal(clock60.lateBids, 0, 'still on time in its minute');
    assert.equal(clock60.bids, 3);
    assert.deepEqual([...streamTimes].sort(), [
      [0, MINUTE + 15_000],
      [1, MINUTE + 1_000],
    ]);
  });

  it('starts from the stored stream time, and a window holding only late bids has no prices', () => {
    const { windows, streamTimes } = foldBids(
      [placed(2, 40, 'Vase', 'Ada', 10, MINUTE + 500)],
      new Map([[2, MINUTE + 120_000]]),
      10_000,
    );
    for (const seconds of [3, 60]) {
      const vase = rowOf(windows, seconds, MINUTE, 'Vase');
      assert.deepEqual([vase.bids, vase.lateBids, vase.highest, vase.lowest, vase.bidders.size], [0, 1, null, null, 0]);
    }
    assert.equal(streamTimes.get(2), MINUTE + 120_000, 'an older bid does not move stream time back');
  });
});

describe('ranges of windows whose bidders are counted again', () => {
  it('cover every window the batch touched, per size, split where windows are far apart', () => {
    const ranges = recountRanges([
      { seconds: 3, startMs: MINUTE + 3_000, item: 'Clock' },
      { seconds: 3, startMs: MINUTE, item: EVERY_ITEM },
      { seconds: 60, startMs: MINUTE, item: 'Vase' },
      { seconds: 3, startMs: MINUTE + 3_600_000, item: 'Clock' },
    ]);
    assert.deepEqual(ranges, [
      { seconds: 3, items: [EVERY_ITEM, 'Clock'], fromMs: MINUTE, toMs: MINUTE + 3_000 },
      { seconds: 3, items: ['Clock'], fromMs: MINUTE + 3_600_000, toMs: MINUTE + 3_600_000 },
      { seconds: 60, items: ['Vase'], fromMs: MINUTE, toMs: MINUTE },
    ]);
  });
});
