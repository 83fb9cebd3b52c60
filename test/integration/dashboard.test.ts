import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mysql from 'mysql2/promise';
import { openEventStream, type EventStream } from '../support/eventStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { scrapeMetrics, valueOf } from '../support/prometheusText';
import { waitFor } from '../support/service';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/** A snapshot as the API answers it: only what the test reads. */
interface Snapshot {
  state: 'figures' | 'unavailable';
  generatedAt: string;
  reason?: string;
  rate: { start: string; bids: number; bidsPerSecond: number; lateBids: number }[];
  minute: { from: string; to: string; bids: number; bidsPerSecond: number; lateBids: number };
  items: { item: string; bids: number; highest: number | null; sparkline: number[] }[];
  bidders: { name: string; bids: number }[];
  late: { inRate: number; inMinute: number; items: { item: string; lateBids: number }[] };
}

/** A row of bid_windows: its window by how many 3-second windows before `to` it starts. */
interface WindowRow {
  size: 3 | 60;
  ago: number;
  item: string;
  bids: number;
  highest: number | null;
  late: number;
}

/** A row of bid_window_bidders. */
interface BidderRow {
  size: 3 | 60;
  ago: number;
  item: string;
  name: string;
  bids: number;
}

/**
 * The statistics as the worker would have stored them: three items bid on in
 * the last minute, one only before it (still on the rate chart), one with
 * late bids only, windows older than the chart, and 60-second windows the
 * dashboard must not read.
 */
const WINDOWS: WindowRow[] = [
  { size: 3, ago: 5, item: '', bids: 6, highest: 500, late: 0 },
  { size: 3, ago: 5, item: 'Oak dresser', bids: 4, highest: 500, late: 0 },
  { size: 3, ago: 5, item: 'Brass lamp', bids: 2, highest: 120, late: 0 },
  { size: 3, ago: 4, item: '', bids: 3, highest: 140, late: 2 },
  { size: 3, ago: 4, item: 'Brass lamp', bids: 3, highest: 140, late: 2 },
  { size: 3, ago: 3, item: '', bids: 0, highest: null, late: 3 },
  { size: 3, ago: 3, item: 'Late only', bids: 0, highest: null, late: 3 },
  { size: 3, ago: 2, item: '', bids: 9, highest: 650, late: 1 },
  { size: 3, ago: 2, item: 'Oak dresser', bids: 5, highest: 650, late: 1 },
  { size: 3, ago: 2, item: 'Clock', bids: 4, highest: 80, late: 0 },
  { size: 3, ago: 30, item: '', bids: 30, highest: 90, late: 0 },
  { size: 3, ago: 30, item: 'Old vase', bids: 30, highest: 90, late: 0 },
  { size: 3, ago: 70, item: '', bids: 99, highest: 10, late: 7 },
  { size: 60, ago: 1, item: '', bids: 1000, highest: 9999, late: 50 },
  { size: 60, ago: 1, item: 'Oak dresser', bids: 1000, highest: 9999, late: 50 },
];

const BIDDERS: BidderRow[] = [
  { size: 3, ago: 5, item: '', name: 'Ada', bids: 4 },
  { size: 3, ago: 5, item: '', name: 'Ken', bids: 2 },
  { size: 3, ago: 5, item: 'Oak dresser', name: 'Ada', bids: 4 },
  { size: 3, ago: 4, item: '', name: 'Ken', bids: 3 },
  { size: 3, ago: 2, item: '', name: 'Ada', bids: 5 },
  { size: 3, ago: 2, item: '', name: 'Zoe', bids: 4 },
  { size: 3, ago: 30, item: '', name: 'Old', bids: 30 },
  { size: 60, ago: 1, item: '', name: 'Ken', bids: 1000 },
];

/** The start of the window `ago` 3-second windows before `to` (epoch seconds), as MySQL DATETIME text. */
function windowStart(to: number, ago: number): string {
  return new Date((to - ago * 3) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

const isoOf = (epochSeconds: number) => `${new Date(epochSeconds * 1000).toISOString().slice(0, 19)}Z`;

/**
 * What the dashboard must show when its last complete window ends at `to`,
 * for rows inserted when it ended at `insertedTo` (the clock may have moved
 * on since), computed here from the rows above.
 */
function expected(insertedTo: number, to: number) {
  const startOf = (ago: number) => insertedTo - ago * 3;
  const inRange = (ago: number, windows: number) => startOf(ago) >= to - windows * 3 && startOf(ago) < to;
  const overall = WINDOWS.filter((row) => row.size === 3 && row.item === '');
  const rate = [];
  for (let start = to - 180; start < to; start += 3) {
    const row = overall.find((candidate) => startOf(candidate.ago) === start);
    const bids = row?.bids ?? 0;
    rate.push({
      start: isoOf(start),
      bids,
      bidsPerSecond: Math.round((bids / 3) * 100) / 100,
      lateBids: row?.late ?? 0,
    });
  }
  const minuteRows = WINDOWS.filter((row) => row.size === 3 && row.item !== '' && inRange(row.ago, 20));
  const totals = new Map<string, { bids: number; highest: number | null; late: number }>();
  for (const row of minuteRows) {
    const total = totals.get(row.item) ?? { bids: 0, highest: null, late: 0 };
    total.bids += row.bids;
    total.late += row.late;
    if (row.highest !== null) total.highest = Math.max(total.highest ?? 0, row.highest);
    totals.set(row.item, total);
  }
  const items = [...totals]
    .filter(([, total]) => total.bids > 0)
    .sort(([a, x], [b, y]) => y.bids - x.bids || (a < b ? -1 : 1))
    .map(([item, total]) => {
      const sparkline = new Array<number>(20).fill(0);
      for (const row of minuteRows.filter((candidate) => candidate.item === item)) {
        sparkline[(startOf(row.ago) - (to - 60)) / 3] = row.bids;
      }
      return { item, bids: total.bids, highest: total.highest, sparkline };
    });
  const bidderTotals = new Map<string, number>();
  for (const row of BIDDERS.filter((candidate) => candidate.size === 3 && candidate.item === '')) {
    if (inRange(row.ago, 20)) bidderTotals.set(row.name, (bidderTotals.get(row.name) ?? 0) + row.bids);
  }
  const bidders = [...bidderTotals]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([name, bids]) => ({ name, bids }));
  const lateItems = [...totals]
    .filter(([, total]) => total.late > 0)
    .sort(([a, x], [b, y]) => y.late - x.late || (a < b ? -1 : 1))
    .map(([item, total]) => ({ item, lateBids: total.late }));
  const minuteBids = rate.slice(-20).reduce((sum, point) => sum + point.bids, 0);
  const minuteLate = rate.slice(-20).reduce((sum, point) => sum + point.lateBids, 0);
  return {
    rate,
    minute: {
      from: isoOf(to - 60),
      to: isoOf(to),
      bids: minuteBids,
      bidsPerSecond: Math.round((minuteBids / 60) * 100) / 100,
      lateBids: minuteLate,
    },
    items,
    bidders,
    late: { inRate: rate.reduce((sum, point) => sum + point.lateBids, 0), inMinute: minuteLate, items: lateItems },
  };
}

/** The snapshot's own end of the last complete window, epoch seconds. */
const snapshotTo = (snapshot: Snapshot) => Date.parse(snapshot.minute.to) / 1000;

/** Only the figures: without the state, time and window size. */
function figuresOf(snapshot: Snapshot) {
  const { rate, minute, items, bidders, late } = snapshot;
  return { rate, minute, items, bidders, late };
}

async function dashboardQueries(web: WebAppUnderTest): Promise<number> {
  return valueOf(await scrapeMetrics(web.baseUrl), 'web_mysql_queries_total', { read: 'dashboard' }) ?? 0;
}

describe('the dashboard’s figures, from the statistics tables', { timeout: 180_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let web: WebAppUnderTest;
  /** The end of the last complete window when the rows were inserted. */
  let insertedTo: number;

  before(async () => {
    topic = await createTestTopic('dashboard', 1);
    database = await createTestDatabase('dashboard');
    web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: database.url, MYSQL_QUERY_TIMEOUT_MS: '500' });
    // Rows a few windows old: they stay in the last minute for the whole test's first part (about 15 s).
    insertedTo = Math.floor(Date.now() / 3000) * 3;
    const startOf = (row: { size: 3 | 60; ago: number }) =>
      row.size === 60 ? windowStart(Math.floor(insertedTo / 60) * 60, 0) : windowStart(insertedTo, row.ago);
    await database.pool.query(
      'INSERT INTO bid_windows (window_seconds, window_start, item, bids, bidders, highest_price, lowest_price, price_sum, late_bids) VALUES ?',
      [
        WINDOWS.map((row) => [
          row.size,
          startOf(row),
          row.item,
          row.bids,
          row.bids,
          row.highest,
          row.highest,
          row.bids * (row.highest ?? 0),
          row.late,
        ]),
      ],
    );
    await database.pool.query(
      'INSERT INTO bid_window_bidders (window_seconds, window_start, item, name, bids) VALUES ?',
      [BIDDERS.map((row) => [row.size, startOf(row), row.item, row.name, row.bids])],
    );
  });
  after(async () => {
    await web?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
  });

  it('GET /api/dashboard answers the rate per 3-second window, the most active items with sparklines, the top bidders and late bids of the last minute, exactly as stored', async () => {
    const response = await fetch(`${web.baseUrl}/api/dashboard`);
    assert.equal(response.status, 200);
    const snapshot = (await response.json()) as Snapshot;
    assert.equal(snapshot.state, 'figures');
    const to = snapshotTo(snapshot);
    const generatedAt = Date.parse(snapshot.generatedAt) / 1000;
    assert.ok(to <= generatedAt && generatedAt < to + 3, 'the last window is the one before the clock’s');
    assert.ok(to - insertedTo < 15, 'the test ran within the rows’ minute');
    assert.deepEqual(figuresOf(snapshot), expected(insertedTo, to));
    // The figures spelled out, so a wrong expectation above cannot hide a wrong answer.
    assert.equal(snapshot.minute.bids, 18);
    assert.equal(snapshot.minute.bidsPerSecond, 0.3);
    assert.deepEqual(
      snapshot.items.map(({ item, bids, highest }) => [item, bids, highest]),
      [
        ['Oak dresser', 9, 650],
        ['Brass lamp', 5, 140],
        ['Clock', 4, 80],
      ],
    );
    assert.deepEqual(snapshot.bidders, [
      { name: 'Ada', bids: 9 },
      { name: 'Ken', bids: 5 },
      { name: 'Zoe', bids: 4 },
    ]);
    assert.deepEqual(snapshot.late.items, [
      { item: 'Late only', lateBids: 3 },
      { item: 'Brass lamp', lateBids: 2 },
      { item: 'Oak dresser', lateBids: 1 },
    ]);
    assert.equal(snapshot.late.inMinute, 6);
    assert.equal(snapshot.rate.length, 60);
    assert.ok(
      snapshot.rate.some((point) => point.bidsPerSecond === 10),
      'the 30 bids before the minute are on the chart',
    );
  });

  it('GET /dashboard renders the same figures in tables with captions, under a CSP without unsafe-inline or unsafe-eval', async () => {
    const response = await fetch(`${web.baseUrl}/dashboard`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await response.text();
    assert.equal((html.match(/<caption[ >]/g) ?? []).length, 6, 'every table has a caption');
    assert.match(
      html,
      /<tr data-item="Oak dresser"><th scope="row" class="text-break">Oak dresser<\/th><td class="text-end">9<\/td><td class="text-end">650<\/td>/,
    );
    assert.match(html, /<th scope="row" class="text-break">Ada<\/th><td class="text-end">9<\/td>/);
    assert.match(html, /data-testid="minute-bids">18</);
    assert.doesNotMatch(html, /\sstyle=/, 'no style attribute the CSP would refuse');
    const chartJs = await fetch(`${web.baseUrl}/assets/chart.js/chart.umd.min.js`);
    assert.equal(chartJs.status, 200, 'Chart.js is served by the app itself');
  });

  it('every open dashboard stream gets the same snapshot each second from one MySQL read, whatever the number of streams', async () => {
    const queriesBefore = await dashboardQueries(web);
    const streams = await Promise.all(
      Array.from({ length: 5 }, () => openEventStream(`${web.baseUrl}/api/dashboard/events`)),
    );
    try {
      for (const stream of streams) {
        assert.equal(stream.status, 200);
        assert.match(String(stream.headers['content-type']), /^text\/event-stream/);
      }
      await Promise.all(
        streams.map((stream) => stream.waitFor((event, index) => event.event === 'snapshot' && index >= 4, 10_000)),
      );
      const elapsedSeconds = 4;
      const queries = (await dashboardQueries(web)) - queriesBefore;
      // One read a tick (plus the first one), not one per stream: five streams for four seconds would be 20.
      assert.ok(queries <= elapsedSeconds + 3, `${queries} dashboard queries for 5 streams over about 4 s`);
      const times = streams.map((stream) =>
        stream.events.slice(1, 4).map((event) => event.json<Snapshot>().generatedAt),
      );
      for (const other of times.slice(1)) assert.deepEqual(other, times[0], 'every stream got the same snapshots');
      const last = streams[0]!.events.at(-1)!.json<Snapshot>();
      assert.deepEqual(figuresOf(last), expected(insertedTo, snapshotTo(last)));
    } finally {
      for (const stream of streams) stream.close();
    }
    await waitFor('the streams to be closed', async () => {
      const open = valueOf(await scrapeMetrics(web.baseUrl), 'web_dashboard_clients');
      return open === 0 ? true : undefined;
    });
  });

  it('while MySQL does not answer, the stream says the figures are unavailable and why, and carries on once it answers again', async () => {
    const stream = await openEventStream(`${web.baseUrl}/api/dashboard/events`);
    const session = await mysql.createConnection({ uri: database.url });
    try {
      await stream.waitFor((event) => event.event === 'snapshot');
      // Every read of the statistics waits behind this lock: past MYSQL_QUERY_TIMEOUT_MS (500 ms) it has no answer.
      await session.query('LOCK TABLES bid_windows WRITE, bid_window_bidders WRITE');
      const unavailable = await stream.waitFor(
        (event) => event.event === 'snapshot' && event.json<Snapshot>().state === 'unavailable',
      );
      assert.deepEqual(Object.keys(unavailable.json<Snapshot>()).sort(), ['generatedAt', 'reason', 'state']);
      assert.equal(unavailable.json<Snapshot>().reason, 'timeout');
      const api = await fetch(`${web.baseUrl}/api/dashboard`);
      assert.equal(api.status, 503);
      assert.deepEqual(await api.json(), {
        error: 'The dashboard is unavailable: MySQL did not answer in time.',
        reason: 'timeout',
      });
      const page = await fetch(`${web.baseUrl}/dashboard`);
      assert.equal(page.status, 200, 'the page still renders');
      assert.match(await page.text(), /Unavailable right now: the bid database did not answer in time/);

      await session.query('UNLOCK TABLES');
      const seen = stream.events.length;
      const back = await stream.waitFor(
        (event, index) => index >= seen && event.json<Snapshot>().state === 'figures',
        10_000,
      );
      assert.equal(back.json<Snapshot>().state, 'figures');
      assert.equal((await fetch(`${web.baseUrl}/healthz`)).status, 200, 'the web app is still up');
    } finally {
      await session.end();
      stream.close();
    }
  });
});

describe('dashboard streams and SSE_MAX_CLIENTS', { timeout: 120_000 }, () => {
  it('counts dashboard streams with the live bid streams: once SSE_MAX_CLIENTS are open, one more of either is answered 503', async () => {
    const topic = await createTestTopic('dashboard-cap', 1);
    const database = await createTestDatabase('dashboard_cap');
    const web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: database.url, SSE_MAX_CLIENTS: '2' });
    const open: EventStream[] = [];
    try {
      open.push(await openEventStream(`${web.baseUrl}/api/events`));
      open.push(await openEventStream(`${web.baseUrl}/api/dashboard/events`));
      assert.deepEqual(
        open.map((stream) => stream.status),
        [200, 200],
      );
      const refusedDashboard = await fetch(`${web.baseUrl}/api/dashboard/events`);
      assert.equal(refusedDashboard.status, 503);
      assert.equal(((await refusedDashboard.json()) as { error: string }).error, 'too many live clients');
      const refusedLive = await fetch(`${web.baseUrl}/api/events`);
      assert.equal(refusedLive.status, 503);
      await refusedLive.body?.cancel();
      assert.equal(valueOf(await scrapeMetrics(web.baseUrl), 'web_dashboard_clients'), 1);

      // Once the dashboard stream closes, its place is free again.
      open.pop()!.close();
      await waitFor('the dashboard stream to be closed', async () =>
        valueOf(await scrapeMetrics(web.baseUrl), 'web_dashboard_clients') === 0 ? true : undefined,
      );
      open.push(await openEventStream(`${web.baseUrl}/api/dashboard/events`));
      assert.equal(open.at(-1)!.status, 200);
    } finally {
      for (const stream of open) stream.close();
      await web.stop();
      await database.drop();
      await deleteTestTopic(topic);
    }
  });
});
