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

  /** `headers` go with every request, e.g. `X-Forwarded-Proto: https` as a TLS-terminating proxy adds it. */
  constructor(
    private readonly baseUrl: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async open(path = '/'): Promise<{ status: number; html: string; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { ...this.headers, cookie: this.jar.header() } });
    this.jar.store(response);
    const html = await response.text();
    this.csrfToken = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
    return { status: response.status, html, headers: response.headers };
  }

  async submit(
    fields: Record<string, string>,
  ): Promise<{ status: number; location: string | null; html: string; headers: Headers }> {
    const response = await fetch(`${this.baseUrl}/bids`, {
      method: 'POST',
      redirect: 'manual',
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded', cookie: this.jar.header() },
      body: new URLSearchParams(fields).toString(),
    });
    this.jar.store(response);
    return {
      status: response.status,
      location: response.headers.get('location'),
      html: await response.text(),
      headers: response.headers,
    };
  }
}

/** A Set-Cookie header as name, value and attributes (lowercase names; a flag's value is ''). */
function parsedSetCookie(header: string): { name: string; attributes: Map<string, string> } {
  const [pair = '', ...rest] = header.split(';');
  const attributes = new Map<string, string>();
  for (const attribute of rest) {
    const [key = '', ...value] = attribute.trim().split('=');
    attributes.set(key.toLowerCase(), value.join('='));
  }
  return { name: pair.slice(0, pair.indexOf('=')).trim(), attributes };
}

/** The cookies a response sets, by name. */
function setCookies(headers: Headers): Map<string, Map<string, string>> {
  return new Map(
    headers.getSetCookie().map((header) => {
      const { name, attributes } = parsedSetCookie(header);
      return [name, attributes] as const;
    }),
  );
}

/** A TLS-terminating proxy in front of the app, as TRUST_PROXY_HOPS=1 trusts it. */
const THROUGH_HTTPS_PROXY = { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };

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
      TRUST_PROXY_HOPS: '1',
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

  it('answers the page, a refused form and the redirect after a bid with Cache-Control: no-store', async () => {
    const visitor = new Visitor(web.baseUrl);
    const page = await visitor.open('/');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const refused = await visitor.submit({ name: 'Ada', item: 'Tin robot', price: 'x', _csrf: visitor.csrfToken });
    assert.equal(refused.status, 422);
    assert.equal(refused.headers.get('cache-control'), 'no-store');
    const expired = await new Visitor(web.baseUrl).submit({ name: 'Ada', item: 'Tin robot', price: '5' });
    assert.equal(expired.status, 403);
    assert.equal(expired.headers.get('cache-control'), 'no-store');
    const placed = await visitor.submit({ name: 'Ada', item: 'Tin robot', price: '5', _csrf: visitor.csrfToken });
    assert.equal(placed.status, 303, placed.html);
    assert.equal(placed.headers.get('cache-control'), 'no-store');
    const confirmed = await visitor.open(placed.location!);
    assert.equal(confirmed.headers.get('cache-control'), 'no-store');
  });

  it('over plain HTTP sets its cookies under their plain names, HttpOnly, SameSite=Strict, Path=/, no Domain, not Secure', async () => {
    const visitor = new Visitor(web.baseUrl);
    const page = await visitor.open('/');
    const csrf = setCookies(page.headers).get('bid_csrf');
    assert.ok(csrf, page.headers.getSetCookie().join('\n'));
    assert.equal(csrf.get('path'), '/');
    assert.equal(csrf.has('domain'), false);
    assert.equal(csrf.has('secure'), false, 'a browser would drop a Secure cookie set over plain HTTP');
    assert.equal(csrf.has('httponly'), true);
    assert.equal(csrf.get('samesite'), 'Strict');
    const placed = await visitor.submit({ name: 'Ada', item: 'Tin robot', price: '6', _csrf: visitor.csrfToken });
    assert.equal(placed.status, 303, placed.html);
    const confirmation = setCookies(placed.headers).get('bid_placed');
    assert.ok(confirmation, placed.headers.getSetCookie().join('\n'));
    assert.equal(confirmation.has('secure'), false);
  });

  it('over HTTPS through a trusted proxy sets every cookie __Host- prefixed, Secure, Path=/ and without Domain, and the form works end to end', async () => {
    const visitor = new Visitor(web.baseUrl, THROUGH_HTTPS_PROXY);
    const page = await visitor.open('/');
    const expectHostCookie = (cookies: Map<string, Map<string, string>>, name: string): void => {
      const attributes = cookies.get(`__Host-${name}`);
      assert.ok(attributes, `__Host-${name} among ${[...cookies.keys()].join(', ')}`);
      assert.equal(attributes.has('secure'), true, `${name} is Secure`);
      assert.equal(attributes.get('path'), '/', `${name} has Path=/`);
      assert.equal(attributes.has('domain'), false, `${name} has no Domain`);
      assert.equal(cookies.has(name), false, `no plain ${name} cookie`);
    };
    expectHostCookie(setCookies(page.headers), 'bid_csrf');

    const placed = await visitor.submit({ name: 'Ada', item: 'Tin robot', price: '7', _csrf: visitor.csrfToken });
    assert.equal(placed.status, 303, placed.html);
    expectHostCookie(setCookies(placed.headers), 'bid_placed');

    const confirmed = await visitor.open(placed.location!);
    assert.match(confirmed.html, /data-testid="confirmation"/, 'the confirmation cookie is read back');
    expectHostCookie(setCookies(confirmed.headers), 'bid_placed');
    assert.match(
      confirmed.headers.getSetCookie().find((c) => c.startsWith('__Host-bid_placed=')) ?? '',
      /Expires=Thu, 01 Jan 1970/,
      'and then cleared',
    );
  });

  it('over HTTPS does not honour a CSRF cookie under the plain name (one a plain-HTTP page or another host could set)', async () => {
    const visitor = new Visitor(web.baseUrl);
    await visitor.open('/');
    assert.match(visitor.jar.header(), /^bid_csrf=/);
    const throughHttps = await fetch(`${web.baseUrl}/bids`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        ...THROUGH_HTTPS_PROXY,
        'content-type': 'application/x-www-form-urlencoded',
        cookie: visitor.jar.header(),
      },
      body: new URLSearchParams({
        name: 'Mallory',
        item: 'Tin robot',
        price: '8',
        _csrf: visitor.csrfToken,
      }).toString(),
    });
    assert.equal(throughHttps.status, 403);
  });

  it('refuses an invisible character in the form beside its field, naming it', async () => {
    const visitor = new Visitor(web.baseUrl);
    await visitor.open();
    const { status, html } = await visitor.submit({
      name: 'Ada\u200B',
      item: 'Tin\u202Erobot',
      price: '5',
      _csrf: visitor.csrfToken,
    });
    assert.equal(status, 422);
    assert.match(html, /data-testid="name-error">Your name contains an invisible formatting character \(U\+200B\)\.</);
    assert.match(html, /data-testid="item-error">Item contains an invisible formatting character \(U\+202E\)\.</);
  });

  it('finds the lot of ?item= however it is spelt, and redirects a placed bid to its normalised item', async () => {
    await database.pool.query(
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ['dddddddd-dddd-4ddd-8ddd-dddddddddddd', 'Walnut bureau', 'Barbara', 4_000, '2026-01-01 10:00:00.000', 0, 10],
    );
    const visitor = new Visitor(web.baseUrl);
    const page = await visitor.open(`/?item=${encodeURIComponent(' Ｗａｌｎｕｔ\u00A0  bureau ')}`);
    assert.match(page.html, /data-testid="highest-item-name">Barbara</);
    assert.match(page.html, /data-item="Walnut bureau"/, 'the live page filters its events on the normalised item');

    const placed = await visitor.submit({
      name: 'Ken',
      item: 'Ｗａｌｎｕｔ bureau',
      price: '4100',
      _csrf: visitor.csrfToken,
    });
    assert.equal(placed.status, 303, placed.html);
    assert.equal(placed.location, '/?item=Walnut%20bureau');
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
