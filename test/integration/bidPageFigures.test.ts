import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import type { Bid } from '../../lib/bid/bid';
import { toSqlTimestamp } from '../../lib/sqlTimestamp';
import { MOST_ACTIVE_LOTS_SQL, type ActiveLot } from '../../web/activeLots';
import { RECENT_BIDS_FOR_ITEM_SQL } from '../../web/recentBids';
import { CookieJar } from '../support/cookieJar';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { readMysqlBids } from '../support/mysqlBids';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/** What EJS's `<%= %>` writes for a text. */
function escapedHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

/** The inner HTML of the element marked `data-testid="<testid>"`, found by its list's closing tag. */
function listHtml(html: string, testid: string): string {
  const start = html.indexOf(`data-testid="${testid}"`);
  assert.ok(start >= 0, `the page has ${testid}`);
  return html.slice(start, html.indexOf('</ol>', start));
}

/** The texts of every element marked `data-testid="<testid>"` in `html`, as written (escaped). */
function textsOf(html: string, testid: string): string[] {
  return [...html.matchAll(new RegExp(`data-testid="${testid}">([^<]*)<`, 'g'))].map((m) => m[1]!);
}

/** The highest bid among `bids` as MySQL orders it: price, then the earliest, then the smallest id. */
function highestOf(bids: Bid[]): Bid {
  return [...bids].sort(
    (a, b) =>
      b.price - a.price || a.bid_ts.localeCompare(b.bid_ts) || (a.bid_id < b.bid_id ? -1 : a.bid_id > b.bid_id ? 1 : 0),
  )[0]!;
}

/** The ten lots with most bids (ties by item name, compared as the binary collation does) with their highest bids. */
function mostActiveLotsOf(bids: Bid[]): ActiveLot[] {
  const byItem = new Map<string, Bid[]>();
  for (const bid of bids) byItem.set(bid.item, [...(byItem.get(bid.item) ?? []), bid]);
  const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  return [...byItem]
    .map(([item, lotBids]) => ({ item, bids: lotBids.length, highest: highestOf(lotBids) }))
    .sort((a, b) => b.bids - a.bids || byBytes(a.item, b.item))
    .slice(0, 10);
}

describe('the bid page figures read from MySQL: last bids and most active lots', { timeout: 300_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let web: WebAppUnderTest;
  before(async () => {
    topic = await createTestTopic('page-figures', 1);
    database = await createTestDatabase('page_figures');
    // The figures are checked against rows written just before: no answer kept from an earlier read.
    web = await startWebApp({ KAFKA_TOPIC: topic, MYSQL_URL: database.url, READ_CACHE_MS: '0' });
  });
  beforeEach(async () => {
    await database.pool.query('DELETE FROM bids');
  });
  after(async () => {
    await web?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
  });

  let offset = 0;
  async function store(bids: Bid[]): Promise<void> {
    await database.pool.query(
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES ?',
      [bids.map((b) => [b.bid_id, b.item, b.name, b.price, toSqlTimestamp(b.bid_ts), 0, offset++])],
    );
  }

  function bidAt(second: number, fields: Pick<Bid, 'item' | 'name' | 'price'>): Bid {
    return { bid_id: randomUUID(), ...fields, bid_ts: new Date(Date.UTC(2026, 0, 1, 10, 0, second)).toISOString() };
  }

  it("shows the selected item's last 20 bids, newest first, with stored names escaped, and the API lists the same", async () => {
    const item = 'Oak dresser';
    const dresser = Array.from({ length: 25 }, (_, i) => bidAt(i, { item, name: `bidder ${i}`, price: 100 + i }));
    dresser.push(bidAt(30, { item, name: '<script>alert("bid")</script> & Co', price: 50 }));
    const others = [bidAt(40, { item: 'Tin robot', name: 'Ken', price: 9 })];
    await store([...dresser, ...others]);
    const newestFirst = [...dresser].reverse().slice(0, 20);

    const html = await (await fetch(`${web.baseUrl}/?item=${encodeURIComponent(item)}`)).text();
    const list = listHtml(html, 'recent-bids');
    assert.deepEqual(
      textsOf(list, 'recent-bid-name'),
      newestFirst.map((b) => escapedHtml(b.name)),
    );
    assert.deepEqual(
      textsOf(list, 'recent-bid-price'),
      newestFirst.map((b) => b.price.toLocaleString('en-US')),
    );
    assert.deepEqual(
      [...list.matchAll(/data-bid-id="([^"]+)"/g)].map((m) => m[1]),
      newestFirst.map((b) => b.bid_id),
    );
    assert.doesNotMatch(html, /<script>alert/, 'nothing stored is rendered as markup');

    const api = await fetch(`${web.baseUrl}/api/items/${encodeURIComponent(item)}/bids`);
    assert.equal(api.status, 200);
    assert.deepEqual(await api.json(), { item, bids: newestFirst });

    const empty = await (await fetch(`${web.baseUrl}/?item=${encodeURIComponent('Nothing here')}`)).text();
    assert.match(empty, /data-testid="recent-bids-none">No bids yet\.</);
    assert.deepEqual(textsOf(listHtml(empty, 'recent-bids'), 'recent-bid-name'), []);
    const emptyApi = await fetch(`${web.baseUrl}/api/items/${encodeURIComponent('Nothing here')}/bids`);
    assert.deepEqual(await emptyApi.json(), { item: 'Nothing here', bids: [] });

    const noItem = await (await fetch(`${web.baseUrl}/`)).text();
    assert.doesNotMatch(noItem, /data-testid="recent-bids"/, 'without a selected item there is no list of its bids');
  });

  it('lists the ten most active lots, most bids first and ties by item name, each with its highest bid, escaped and linked', async () => {
    const hostileItem = '<img src=x onerror=alert(1)>';
    const lots: [string, number][] = [
      [hostileItem, 14],
      ['Tea & cakes?', 12],
      ['Brass telescope', 12],
      ['Art deco lamp', 11],
      ...Array.from({ length: 9 }, (_, i): [string, number] => [`Lot ${String(i).padStart(2, '0')}`, 11 - i]),
    ];
    const bids = lots.flatMap(([item, count]) =>
      Array.from({ length: count }, (_, i) =>
        bidAt(i, { item, name: i === 3 ? `"Eve" <eve@example.com>` : `bidder ${i}`, price: 1 + ((i * 37) % 200) }),
      ),
    );
    // A tie on the highest price (186, bid 5 of each lot): the earlier bid stays highest. Now 12 bids.
    bids.push(bidAt(59, { item: 'Art deco lamp', name: 'Late tie', price: 186 }));
    await store(bids);
    const stored = await readMysqlBids(database.pool);
    const expected = mostActiveLotsOf(stored);
    assert.equal(expected.length, 10);
    assert.equal(expected[0]!.item, hostileItem);

    const html = await (await fetch(`${web.baseUrl}/`)).text();
    const list = listHtml(html, 'active-lots');
    assert.deepEqual(
      textsOf(list, 'active-lot-item'),
      expected.map((lot) => escapedHtml(lot.item)),
    );
    assert.deepEqual(
      textsOf(list, 'active-lot-bids'),
      expected.map((lot) => `${lot.bids} bids`),
    );
    assert.deepEqual(
      textsOf(list, 'active-lot-price'),
      expected.map((lot) => lot.highest.price.toLocaleString('en-US')),
    );
    assert.deepEqual(
      textsOf(list, 'active-lot-name'),
      expected.map((lot) => escapedHtml(lot.highest.name)),
    );
    assert.deepEqual(
      [...list.matchAll(/href="([^"]*)"/g)].map((m) => m[1]),
      expected.map((lot) => escapedHtml(`/?item=${encodeURIComponent(lot.item)}`)),
    );
    assert.match(list, /href="\/\?item=Tea%20%26%20cakes%3F"/);
    assert.doesNotMatch(html, /<img src=x|"Eve" </, 'nothing stored is rendered as markup');

    const api = await fetch(`${web.baseUrl}/api/lots`);
    assert.equal(api.status, 200);
    assert.deepEqual(await api.json(), { lots: expected });
  });

  it('shows the bid just placed through the form in the figures of the page that confirms it, before the MySQL worker stores it', async () => {
    // No MySQL worker runs in this file: MySQL never holds the bid, as for the moments after a real bid.
    await store([bidAt(1, { item: 'Tin robot', name: 'Ken', price: 300 })]);
    const jar = new CookieJar();
    const form = await fetch(`${web.baseUrl}/`, { headers: { cookie: jar.header() } });
    jar.store(form);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
    const placed = await fetch(`${web.baseUrl}/bids`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
      body: new URLSearchParams({ name: 'Grace <3', item: 'Tin robot', price: '450', _csrf: csrf }).toString(),
    });
    assert.equal(placed.status, 303);
    jar.store(placed);
    const html = await (
      await fetch(`${web.baseUrl}${placed.headers.get('location')!}`, { headers: { cookie: jar.header() } })
    ).text();
    const bidId = /data-placed-bid-id="([0-9a-f-]{36})"/.exec(html)?.[1];
    assert.ok(bidId, 'the confirmation names the bid in a data attribute');
    assert.match(html, /data-placed-item="Tin robot" data-placed-price="450"/);
    assert.match(html, /data-testid="highest-item-price">450</);
    assert.match(html, /data-testid="highest-item-name">Grace &lt;3</);
    assert.match(html, /data-testid="highest-overall-price">450</);
    const list = listHtml(html, 'recent-bids');
    assert.deepEqual(textsOf(list, 'recent-bid-name'), ['Grace &lt;3', 'Ken']);
    assert.equal(/data-bid-id="([^"]+)"/.exec(list)?.[1], bidId);
  });

  it('says "No bids yet." for the most active lots when there are none, and the API answers an empty list', async () => {
    const html = await (await fetch(`${web.baseUrl}/`)).text();
    assert.match(html, /data-testid="active-lots-none">No bids yet\.</);
    assert.deepEqual(await (await fetch(`${web.baseUrl}/api/lots`)).json(), { lots: [] });
  });

  it("reads an item's last bids from the first entries of an index, and counts lots from an index only, at 20,000 rows", async () => {
    await store(
      Array.from({ length: 20_000 }, (_, i) =>
        bidAt(i % 60, { item: `lot-${i % 200}`, name: `bidder ${i}`, price: 1 + ((i * 7919) % 1_000_000) }),
      ),
    );
    await database.pool.query('ANALYZE TABLE bids');

    const [recent] = await database.pool.query<RowDataPacket[]>(`EXPLAIN ${RECENT_BIDS_FOR_ITEM_SQL}`, ['lot-7']);
    assert.equal(recent.length, 1);
    assert.equal(recent[0]!.key, 'bids_by_item_recent', JSON.stringify(recent[0]));
    assert.doesNotMatch(String(recent[0]!.Extra), /filesort|temporary/, JSON.stringify(recent[0]));

    const [lots] = await database.pool.query<RowDataPacket[]>(`EXPLAIN ${MOST_ACTIVE_LOTS_SQL}`);
    const counting = lots.find((row) => row.select_type === 'DERIVED');
    assert.ok(counting, JSON.stringify(lots));
    assert.match(
      String(counting.Extra),
      /Using index/,
      `the count reads an index, not the rows: ${JSON.stringify(counting)}`,
    );
    const highest = lots.find((row) => row.select_type === 'DEPENDENT SUBQUERY');
    assert.ok(highest, JSON.stringify(lots));
    assert.equal(highest.key, 'bids_by_item_price', JSON.stringify(highest));
    assert.doesNotMatch(String(highest.Extra), /filesort|temporary/, JSON.stringify(highest));
    const rows = lots.find((row) => row.table === 'b');
    assert.equal(rows?.type, 'eq_ref', `each lot's highest bid is read by its primary key: ${JSON.stringify(lots)}`);
  });
});
