import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RowDataPacket } from 'mysql2/promise';
import { CookieJar } from '../support/cookieJar';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { bidOf, readTopic } from '../support/readTopic';
import { startMysql, stopMysql } from '../support/stackControl';
import { startWebApp, type WebAppUnderTest } from '../support/webApp';

/** A visitor of the bid page: keeps its cookies and the CSRF token of the last page it saw. */
class Visitor {
  readonly jar = new CookieJar();
  csrfToken = '';

  constructor(private readonly baseUrl: string) {}

  async open(path = '/'): Promise<{ status: number; html: string }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { cookie: this.jar.header() } });
    this.jar.store(response);
    const html = await response.text();
    this.csrfToken = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { status: response.status, html };
  }

  async submit(fields: Record<string, string>): Promise<{ status: number; location: string | null; html: string }> {
    const response = await fetch(`${this.baseUrl}/bids`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.jar.header() },
      body: new URLSearchParams(fields).toString(),
    });
    this.jar.store(response);
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  }
}

describe('the bid page over HTTP', { timeout: 300_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let web: WebAppUnderTest;
  let mysqlStopped = false;
  before(async () => {
    topic = await createTestTopic('page', 1);
    database = await createTestDatabase('page');
    web = await startWebApp({
      KAFKA_TOPIC: topic,
      MYSQL_URL: database.url,
      BID_RATE_LIMIT_PER_MINUTE: '1000',
      // The figures are checked against rows written just before: no answer kept from an earlier read.
      READ_CACHE_MS: '0',
    });
  });
  after(async () => {
    if (mysqlStopped) startMysql();
    await web?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
  });

  it('refuses a form without its CSRF token with 403, keeps what was typed, and produces nothing', async () => {
    const visitor = new Visitor(web.baseUrl);
    await visitor.open();
    const { status, html } = await visitor.submit({ name: 'Mallory', item: 'Oak dresser', price: '50' });
    assert.equal(status, 403);
    assert.match(html, /This form has expired or did not come from this page/);
    assert.match(html, /value="Mallory"/);
    const forged = await visitor.submit({ name: 'Mallory', item: 'Oak dresser', price: '50', _csrf: 'guessed' });
    assert.equal(forged.status, 403);
  });

  it('places a bid with POST, redirect (303), GET, and confirms it by its id, once', async () => {
    const visitor = new Visitor(web.baseUrl);
    await visitor.open();
    const placed = await visitor.submit({
      name: ' Grace ',
      item: 'Oak dresser',
      price: '1200',
      _csrf: visitor.csrfToken,
    });
    assert.equal(placed.status, 303, placed.html);
    assert.equal(placed.location, '/?item=Oak%20dresser');

    const page = await visitor.open(placed.location!);
    const bidId = /data-testid="placed-bid-id">([0-9a-f-]{36})</.exec(page.html)?.[1];
    assert.ok(bidId, 'the confirmation names the bid id');
    assert.match(page.html, /placed:\s*1,200 on Oak dresser/);

    const again = await visitor.open('/');
    assert.doesNotMatch(again.html, /data-testid="confirmation"/, 'the confirmation is shown once');

    const [record] = (await readTopic(topic, 1)).map(bidOf);
    assert.deepEqual(
      { ...record, bid_ts: undefined },
      { bid_id: bidId, item: 'Oak dresser', name: 'Grace', price: 1200, bid_ts: undefined },
    );
  });

  it('answers a bad price with 422, the field error beside the field, and every typed value kept', async () => {
    const visitor = new Visitor(web.baseUrl);
    await visitor.open();
    const { status, html } = await visitor.submit({
      name: 'Linus',
      item: 'Tin robot',
      price: '12.50',
      _csrf: visitor.csrfToken,
    });
    assert.equal(status, 422);
    assert.match(html, /id="price"[^>]*class="form-control is-invalid"[^>]*value="12.50"/s);
    assert.match(html, /data-testid="price-error">Price must be a whole number\.</);
    assert.match(html, /value="Linus"/);
    assert.match(html, /value="Tin robot"/);
    assert.doesNotMatch(html, /data-testid="name-error"/);

    const empty = await visitor.submit({ name: '', item: '', price: '', _csrf: visitor.csrfToken });
    assert.equal(empty.status, 422, 'an empty form is refused, never turned into a random bid');
    assert.match(empty.html, /data-testid="name-error"/);
    assert.match(empty.html, /data-testid="item-error"/);
    assert.match(empty.html, /data-testid="price-error"/);
  });

  it('shows the highest bids as ORDER BY price DESC in MySQL says, with every stored text escaped', async () => {
    const hostileName = '<script>alert("bid")</script>';
    const hostileItem = '<img src=x onerror=alert(1)>';
    await database.pool.query(
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES ?',
      [
        [
          ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', hostileItem, hostileName, 999_999, '2026-01-01 10:00:00.000', 0, 0],
          ['bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', hostileItem, 'Ken', 5, '2026-01-01 10:00:00.000', 0, 1],
          ['cccccccc-cccc-4ccc-8ccc-cccccccccccc', 'Oak dresser', 'Frances', 3_000, '2026-01-01 10:00:00.000', 0, 2],
        ],
      ],
    );
    const [overall] = await database.pool.query<RowDataPacket[]>(
      'SELECT name, price FROM bids ORDER BY price DESC LIMIT 1',
    );
    const [dresser] = await database.pool.query<RowDataPacket[]>(
      "SELECT name, price FROM bids WHERE item = 'Oak dresser' ORDER BY price DESC LIMIT 1",
    );
    const visitor = new Visitor(web.baseUrl);
    const page = await visitor.open(`/?item=${encodeURIComponent('Oak dresser')}`);
    assert.match(
      page.html,
      new RegExp(`data-testid="highest-overall-price">${Number(overall[0]!.price).toLocaleString('en-US')}<`),
    );
    assert.match(page.html, /data-testid="highest-overall-name">&lt;script&gt;alert\(&#34;bid&#34;\)&lt;\/script&gt;</);
    assert.match(page.html, /data-testid="highest-overall-item">&lt;img src=x onerror=alert\(1\)&gt;</);
    assert.match(page.html, new RegExp(`data-testid="highest-item-name">${String(dresser[0]!.name)}<`));
    assert.doesNotMatch(page.html, /<script>alert|<img src=x/, 'nothing stored is rendered as markup');

    const hostilePage = await visitor.open(`/?item=${encodeURIComponent(hostileItem)}`);
    assert.doesNotMatch(hostilePage.html, /<img src=x/);
    assert.match(hostilePage.html, /value="&lt;img src=x onerror=alert\(1\)&gt;"/);
  });

  it('still renders while MySQL is down, saying the highest bid is unavailable, and /readyz says it is degraded', async () => {
    stopMysql();
    mysqlStopped = true;
    const visitor = new Visitor(web.baseUrl);
    const page = await visitor.open('/');
    assert.equal(page.status, 200);
    assert.match(page.html, /data-testid="highest-overall-unavailable"/);
    assert.match(page.html, /data-testid="bid-form"/, 'the form is still there');
    const ready = await fetch(`${web.baseUrl}/readyz`);
    assert.equal(ready.status, 200, 'bids are still taken');
    const body = (await ready.json()) as { degraded: string[]; checks: Record<string, string> };
    assert.deepEqual(body.degraded, ['mysql']);
    assert.equal(body.checks.mysql, 'not ready');
    assert.equal(body.checks.kafka, 'ready');
    const api = await fetch(`${web.baseUrl}/api/highest`);
    assert.equal(api.status, 503);
    startMysql();
    mysqlStopped = false;
  });
});
