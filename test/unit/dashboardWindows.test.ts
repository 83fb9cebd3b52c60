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
    const row = (part: DashboardRow['part'], start: string | null, label: string, bids: number, late = 0) => ({
      part,
      window_start: start,
      label,
      bids: String(bids),
      late: String(late),
      highest: part === 'item' ? String(bids * 10) : null,
    });
    const figures = dashboardFigures(
      [
        row('rate', '2026-11-23 19:00:00', '', 6, 1),
        row('rate', '2026-11-23 18:57:03', '', 3),
        row('item', null, 'b', 4),
        row('item', null, 'B', 4),
        row('item', null, 'a', 5),
        row('spark', '2026-11-23 19:00:00', 'a', 5),
        row('spark', '2026-11-23 18:59:03', 'b', 4),
        row('bidder', null, 'Zoe', 2),
        row('bidder', null, 'Ada', 2),
        row('late', null, 'a', 0, 1),
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
      figures.items.map((item) => item.item),
      ['a', 'B', 'b'],
    );
    assert.equal(figures.items[0]!.sparkline[19], 5);
    assert.equal(figures.items[2]!.sparkline[0], 4);
    assert.deepEqual(figures.items[1]!.sparkline, new Array<number>(20).fill(0));
    assert.deepEqual(
      figures.bidders.map((bidder) => bidder.name),
      ['Ada', 'Zoe'],
    );
    assert.deepEqual(figures.late, { inRate: 1, inMinute: 1, items: [{ item: 'a', lateBids: 1 }] });
  });
});
