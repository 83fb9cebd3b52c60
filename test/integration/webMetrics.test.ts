import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { parseExposition, valueOf, type Sample } from '../support/prometheusText';
import { postBidJson, startWebApp, type WebAppUnderTest } from '../support/webApp';

describe('/metrics on the web app', { timeout: 180_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let web: WebAppUnderTest;
  const RATE_LIMIT = 40;

  before(async () => {
    topic = await createTestTopic('web-metrics');
    database = await createTestDatabase('web_metrics');
    web = await startWebApp({
      KAFKA_TOPIC: topic,
      MYSQL_URL: database.url,
      // One bid at a time, so that a burst meets `busy`; a low limit, so that /metrics can be shown exempt.
      MAX_BIDS_IN_FLIGHT: '1',
      BID_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    });
  });
  after(async () => {
    await web?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
  });

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${web.baseUrl}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parseExposition(await response.text());
  }

  it('exposes requests by route pattern and status, latency histograms, bids in flight, delivery errors by kind and SSE clients', async (t) => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await postBidJson(
        web.baseUrl,
        JSON.stringify({ item: 'Oak dresser', name: 'Ada', price: 100 + i }),
      );
      statuses.push(placed.status);
    }
    assert.deepEqual(statuses, [201, 201, 201]);
    assert.equal((await postBidJson(web.baseUrl, JSON.stringify({ item: 'Oak dresser', price: 5 }))).status, 422);
    // A burst on one bid in flight: some are refused `busy`, each counted once.
    const burst = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        postBidJson(web.baseUrl, JSON.stringify({ item: `Lot ${i}`, name: 'Bo', price: 10 })),
      ),
    );
    const busy = burst.filter((answer) => answer.status === 503 && answer.body.reason === 'busy').length;
    const burstAccepted = burst.filter((answer) => answer.status === 201).length;
    assert.equal(busy + burstAccepted, burst.length, 'every bid of the burst was accepted or refused busy');
    t.diagnostic(`burst of ${burst.length}: ${burstAccepted} accepted, ${busy} busy`);
    for (const item of ['Oak dresser', 'Brass lamp']) {
      await fetch(`${web.baseUrl}/api/items/${encodeURIComponent(item)}/highest`).then((r) => r.arrayBuffer());
    }
    assert.equal(await fetch(`${web.baseUrl}/no/such/page`).then((r) => r.status), 404);

    const samples = await scrape();
    assert.equal(
      valueOf(samples, 'web_http_requests_total', { route: '/api/bids', method: 'POST', status: '201' }),
      3 + burstAccepted,
    );
    assert.equal(valueOf(samples, 'web_http_requests_total', { route: '/api/bids', method: 'POST', status: '422' }), 1);
    assert.equal(
      valueOf(samples, 'web_http_requests_total', { route: '/api/bids', method: 'POST', status: '503' }),
      busy || undefined,
    );
    const highestAnswers = samples
      .filter((s) => s.name === 'web_http_requests_total' && s.labels.route === '/api/items/:item/highest')
      .reduce((sum, s) => sum + s.value, 0);
    assert.equal(highestAnswers, 2, 'both items are counted under the one route pattern');
    assert.equal(valueOf(samples, 'web_http_requests_total', { route: '(unmatched)', status: '404' }), 1);
    assert.ok(
      samples.every((s) => !Object.values(s.labels).some((value) => /Oak|Brass|no\/such/.test(value))),
      'no label carries a raw URL',
    );

    const bidRequests = 3 + 1 + burst.length;
    const bucket = (le: string): number | undefined =>
      valueOf(samples, 'web_http_request_duration_seconds_bucket', { route: '/api/bids', method: 'POST', le });
    for (const le of ['0.001', '0.002', '0.005', '0.01']) assert.notEqual(bucket(le), undefined, `a bucket at ${le} s`);
    assert.equal(bucket('+Inf'), bidRequests);
    assert.equal(
      valueOf(samples, 'web_http_request_duration_seconds_count', { route: '/api/bids', method: 'POST' }),
      bidRequests,
    );
    const seconds = valueOf(samples, 'web_http_request_duration_seconds_sum', { route: '/api/bids', method: 'POST' });
    assert.ok(seconds !== undefined && seconds > 0 && seconds < bidRequests * 5, `latency sum ${seconds} s`);

    assert.equal(valueOf(samples, 'web_bids_in_flight'), 0, 'every bid has its delivery report');
    assert.equal(valueOf(samples, 'web_bid_delivery_errors_total', { kind: 'busy' }), busy);
    for (const kind of ['not-placed', 'unknown', 'fatal']) {
      assert.equal(valueOf(samples, 'web_bid_delivery_errors_total', { kind }), 0, kind);
    }
    assert.equal(valueOf(samples, 'web_sse_clients'), 0);
    assert.equal(valueOf(samples, 'web_sse_dropped_clients_total'), 0);
    assert.ok((valueOf(samples, 'process_resident_memory_bytes') ?? 0) > 0, 'process metrics too');
  });

  it('is not rate limited and counts the bids the rate limit refused', async () => {
    for (let i = 0; i < RATE_LIMIT; i++) await scrape();
    let limited = 0;
    for (let i = 0; i < RATE_LIMIT && limited === 0; i++) {
      const answer = await postBidJson(web.baseUrl, JSON.stringify({ item: 'Oak dresser', name: 'Cy', price: 1 }));
      if (answer.status === 429) limited++;
    }
    assert.equal(limited, 1, 'the bid limit is reached');
    const samples = await scrape();
    assert.equal(valueOf(samples, 'web_http_requests_total', { route: '/api/bids', method: 'POST', status: '429' }), 1);
    assert.ok(
      (valueOf(samples, 'web_http_requests_total', { route: '/metrics', method: 'GET', status: '200' }) ?? 0) >=
        RATE_LIMIT,
    );
  });
});
