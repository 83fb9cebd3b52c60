import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dashboardFigures, dashboardRange, type DashboardRow } from '../../web/dashboard/dashboardWindows';

const at = (iso: string) => Date.parse(iso);
const epoch = (iso: string) => Date.parse(iso) / 1000;

describe('the dashboard’s windows', () => {
  it('end with the window before the one the clock is in: the last minute is its 20 windows, the chart its 60', () => {
    assert.deepEqual(dashboardRange(at('2026-11-23T19:00:04.500Z')), {
      to: epoch('2026-11-23T19:00:03Z'),
      minuteFrom: epoch('2026-11-23T18:59:03Z'),
      rateFrom: epoch('2026-11-23T18:57:03Z'),
    });
    // On a window's first millisecond, that window is the open one.
    assert.equal(dashboardRange(at('2026-11-23T19:00:06.000Z')).to, epoch('2026-11-23T19:00:06Z'));
  });

  it('fill every window without a row with 0, place each item’s windows in its sparkline, and order ties by name', () => {
    const range = dashboardRange(at('2026-11-23T19:00:04.500Z'));
    const rate = (start: string, bids: number, late = 0): DashboardRow => ({
      part: 'rate',
      window_start: start,
      label: '',
      bids: String(bids),
      late: String(late),
      highest: null,
      spark: null,
    });
    const item = (label: string, bids: number, late: number, spark: string): DashboardRow => ({
      part: 'item',
      window_start: null,
      label,
      bids: String(bids),
      late: String(late),
      highest: String(bids * 10),
      spark,
    });
    const bidder = (label: string, bids: number): DashboardRow => ({
      part: 'bidder',
      window_start: null,
      label,
      bids: String(bids),
      late: '0',
      highest: null,
      spark: null,
    });
    const figures = dashboardFigures(
      [
        rate('2026-11-23 19:00:00', 6, 1),
        rate('2026-11-23 18:57:03', 3),
        item('b', 4, 0, '0:4'),
        item('B', 4, 0, '3:1,4:3'),
        item('a', 5, 1, '19:5'),
        // Among the items with most late bids only: not an active item.
        item('late', 0, 2, '5:0'),
        ...Array.from({ length: 10 }, (_, index) => item(`z${index}`, 1, 0, '0:1')),
        bidder('Zoe', 2),
        bidder('Ada', 2),
      ],
      range,
    );
    assert.equal(figures.rate.length, 60);
    assert.deepEqual(figures.rate[0], { start: '2026-11-23T18:57:03Z', bids: 3, bidsPerSecond: 1, lateBids: 0 });
    assert.deepEqual(figures.rate[59], { start: '2026-11-23T19:00:00Z', bids: 6, bidsPerSecond: 2, lateBids: 1 });
    assert.equal(figures.rate.filter((point) => point.bids === 0).length, 58);
    assert.deepEqual(figures.minute, {
      from: '2026-11-23T18:59:03Z',
      to: '2026-11-23T19:00:03Z',
      bids: 6,
      bidsPerSecond: 0.1,
      lateBids: 1,
    });
    // Byte order, as MySQL's utf8mb4_bin sorts: "B" before "b".
    assert.deepEqual(
      figures.items.map((entry) => entry.item),
      ['a', 'B', 'b', 'z0', 'z1', 'z2', 'z3', 'z4', 'z5', 'z6'],
      'the ten with most bids',
    );
    assert.deepEqual(figures.items[0]!.sparkline, [...new Array<number>(19).fill(0), 5]);
    assert.deepEqual(figures.items[1]!.sparkline, [0, 0, 0, 1, 3, ...new Array<number>(15).fill(0)]);
    assert.equal(figures.items[2]!.sparkline[0], 4);
    assert.deepEqual(
      figures.bidders.map((bidder) => bidder.name),
      ['Ada', 'Zoe'],
    );
    assert.deepEqual(figures.late, {
      inRate: 1,
      inMinute: 1,
      items: [
        { item: 'late', lateBids: 2 },
        { item: 'a', lateBids: 1 },
      ],
    });
  });
});
