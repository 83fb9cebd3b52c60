import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { RowDataPacket } from 'mysql2/promise';
import { bidSchema, type Bid } from '../../lib/bid/bid';
import { loadEnv } from '../../lib/env';
import { readRegistrySettings } from '../../lib/registry/settings';
import { readWireFrame } from '../../lib/registry/wireFormat';
import { HIGHEST_FOR_ITEM_SQL, HIGHEST_OVERALL_SQL } from '../../web/highestBid';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { bidOf, readTopic } from '../support/readTopic';
import { postBidJson, startWebApp, type WebAppUnderTest } from '../support/webApp';

type PlacedBid = Bid & { kafka: { topic: string; partition: number; offset: number } };

describe('the JSON bid API against the real broker, registry and MySQL', { timeout: 300_000 }, () => {
  let topic: string;
  let database: TestDatabase;
  let web: WebAppUnderTest;
  /** Every bid the API accepted, so the topic can be checked to hold exactly these. */
  const accepted: PlacedBid[] = [];

  before(async () => {
    topic = await createTestTopic('api');
    database = await createTestDatabase('api');
    web = await startWebApp({
      KAFKA_TOPIC: topic,
      MYSQL_URL: database.url,
      BID_RATE_LIMIT_PER_MINUTE: '1000000',
      // The figures are checked against rows written just before: no answer kept from an earlier read.
      READ_CACHE_MS: '0',
    });
  });
  after(async () => {
    await web?.stop();
    await database?.drop();
    await deleteTestTopic(topic);
  });

  it('answers 201 with the bid and where Kafka put it, and the record in `auction` is that bid, keyed by item, in the Confluent wire format', async () => {
    const { status, body } = await postBidJson(
      web.baseUrl,
      JSON.stringify({ item: 'Brass telescope', name: '  Ada  ', price: 1500 }),
    );
    assert.equal(status, 201, JSON.stringify(body));
    const placed = body as unknown as PlacedBid;
    accepted.push(placed);
    assert.equal(placed.name, 'Ada', 'the name is trimmed');
    assert.match(placed.bid_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(Math.abs(Date.parse(placed.bid_ts) - Date.now()) < 60_000 && placed.bid_ts.endsWith('Z'));
    assert.equal(placed.kafka.topic, topic);

    const [record] = await readTopic(topic, 1);
    assert.ok(record, 'the bid is in the topic');
    assert.equal(record.key?.toString(), 'Brass telescope', 'keyed by item');
    assert.equal(record.partition, placed.kafka.partition);
    assert.equal(record.offset, placed.kafka.offset);
    assert.equal(record.value?.[0], 0, 'Confluent magic byte');
    const frame = readWireFrame(record.value);
    assert.ok(frame.ok);
    const registry = readRegistrySettings(loadEnv());
    const schema = (await (await fetch(`${registry.url}/schemas/ids/${frame.schemaId}`)).json()) as { schema: string };
    assert.deepEqual(JSON.parse(schema.schema), bidSchema, 'the schema id resolves to schemas/bid.schema.json');
    const { kafka: _where, ...bid } = placed;
    assert.deepEqual(JSON.parse(frame.payload.toString('utf8')), bid, 'decoded, it equals the bid returned');
  });

  const refusals: { what: string; body: string; contentType?: string; status: number; field?: string }[] = [
    { what: 'malformed JSON', body: '{"item": "lamp", "name": ', status: 400 },
    {
      what: 'a form body sent to the API',
      body: 'item=lamp&name=Ada&price=5',
      contentType: 'application/x-www-form-urlencoded',
      status: 415,
    },
    {
      what: 'a body over 16 KB',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: 5, pad: 'x'.repeat(20_000) }),
      status: 413,
    },
    { what: 'an array instead of a bid', body: '[1, 2]', status: 422, field: '(bid)' },
    { what: 'a missing name', body: JSON.stringify({ item: 'lamp', price: 5 }), status: 422, field: 'name' },
    { what: 'a blank name', body: JSON.stringify({ item: 'lamp', name: '   ', price: 5 }), status: 422, field: 'name' },
    {
      what: 'a control character in the name',
      body: JSON.stringify({ item: 'lamp', name: 'Ada\u0007', price: 5 }),
      status: 422,
      field: 'name',
    },
    {
      what: 'an over-long item',
      body: JSON.stringify({ item: 'x'.repeat(101), name: 'Ada', price: 5 }),
      status: 422,
      field: 'item',
    },
    {
      what: 'a non-integer price',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: 10.5 }),
      status: 422,
      field: 'price',
    },
    {
      what: 'a price as text',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: '10' }),
      status: 422,
      field: 'price',
    },
    {
      what: 'a zero price',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: 0 }),
      status: 422,
      field: 'price',
    },
    {
      what: 'a negative price',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: -5 }),
      status: 422,
      field: 'price',
    },
    {
      what: 'an absurd price',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: 1_000_000_001 }),
      status: 422,
      field: 'price',
    },
    {
      what: 'a bid id chosen by the client',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: 5, bid_id: '00000000-0000-4000-8000-000000000000' }),
      status: 422,
      field: 'bid_id',
    },
    {
      what: 'an unknown field',
      body: JSON.stringify({ item: 'lamp', name: 'Ada', price: 5, reserve: 1 }),
      status: 422,
      field: 'reserve',
    },
  ];
  for (const field of ['name', 'item'] as const) {
    it(`refuses a lone UTF-16 surrogate in ${field} with 422, rule "unicode", naming it`, async () => {
      // JSON.stringify writes the lone surrogate as the escape \ud800, exactly as a client would send it.
      const body = JSON.stringify({ item: 'lamp', name: 'Ada', price: 5, [field]: 'Ada \ud800' });
      assert.match(body, /\\ud800/);
      const answer = await postBidJson(web.baseUrl, body);
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.deepEqual(answer.body.errors, [
        { field, rule: 'unicode', message: 'contains a lone surrogate (U+D800), which is not valid Unicode text' },
      ]);
    });
  }

  const invisible: { field: 'name' | 'item'; text: string; message: string }[] = [
    { field: 'name', text: 'Ada\u200B', message: 'name contains an invisible formatting character (U+200B)' },
    { field: 'item', text: 'lamp \u202Eodd', message: 'item contains an invisible formatting character (U+202E)' },
    { field: 'item', text: 'lamp\u2028', message: 'item contains a line separator (U+2028)' },
    { field: 'name', text: 'Ada \uE000', message: 'name contains a private-use character (U+E000)' },
    { field: 'name', text: 'Ada \u0378', message: 'name contains an unassigned character (U+0378)' },
    { field: 'item', text: '***', message: 'item must contain at least one letter or digit' },
  ];
  for (const { field, text, message } of invisible) {
    it(`refuses "${message}" with 422, and produces nothing`, async () => {
      const answer = await postBidJson(
        web.baseUrl,
        JSON.stringify({ item: 'lamp', name: 'Ada', price: 5, [field]: text }),
      );
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.equal(answer.body.error, `The bid was refused: ${message}.`);
      assert.equal((answer.body.errors as { field: string }[])[0]?.field, field);
    });
  }

  it('normalises item and name at intake: the 201, the record in Kafka and its key carry the normalised text', async () => {
    const { status, body } = await postBidJson(
      web.baseUrl,
      JSON.stringify({ item: ' Ｂｒａｓｓ\u3000 telescope ', name: 'Ada\u00A0Lovelace', price: 1600 }),
    );
    assert.equal(status, 201, JSON.stringify(body));
    const placed = body as unknown as PlacedBid;
    accepted.push(placed);
    assert.equal(placed.item, 'Brass telescope');
    assert.equal(placed.name, 'Ada Lovelace');
    const record = (await readTopic(topic, accepted.length)).find((r) => bidOf(r).bid_id === placed.bid_id);
    assert.ok(record, 'the bid is in the topic');
    assert.equal(record.key?.toString(), 'Brass telescope');
    assert.equal(bidOf(record).item, 'Brass telescope');
    assert.equal(bidOf(record).name, 'Ada Lovelace');
  });

  it('answers a body with thousands of unknown keys with at most 5 errors and a count of the rest, repeating no key whole', async () => {
    const fields: Record<string, unknown> = { item: 'lamp', name: 'Ada', price: 0 };
    for (let i = 0; i < 1_000; i++) fields[`k${i}`] = 1;
    fields['z'.repeat(5_000)] = 1;
    const body = JSON.stringify(fields);
    assert.ok(body.length < 16_000, 'under the body limit');
    const answer = await postBidJson(web.baseUrl, body);
    assert.equal(answer.status, 422);
    const errors = answer.body.errors as { field: string }[];
    assert.deepEqual(
      errors.map((e) => e.field),
      ['price', 'k0', 'k1', 'k2', 'k3'],
      'the bid’s own fields first',
    );
    assert.equal(answer.body.errors_omitted, 997);
    assert.match(String(answer.body.error), /; and 997 more problems\.$/);
    assert.ok(JSON.stringify(answer.body).length < 1_000, `answer of ${JSON.stringify(answer.body).length} characters`);

    const longKey = await postBidJson(
      web.baseUrl,
      JSON.stringify({ item: 'lamp', name: 'Ada', price: 5, ['z'.repeat(5_000)]: 1 }),
    );
    assert.equal(longKey.status, 422);
    assert.deepEqual(longKey.body.errors, [
      { field: `${'z'.repeat(40)}…`, rule: 'additionalProperties', message: 'is not a field of a bid' },
    ]);
  });

  for (const refusal of refusals) {
    it(`refuses ${refusal.what} with ${refusal.status}${refusal.field ? ` naming ${refusal.field}` : ''}`, async () => {
      const { status, body } = await postBidJson(web.baseUrl, refusal.body, refusal.contentType);
      assert.equal(status, refusal.status, JSON.stringify(body));
      assert.equal(typeof body.error, 'string');
      assert.doesNotMatch(String(body.error), /at .*\.js:\d+/, 'no stack trace');
      if (refusal.field) {
        const errors = body.errors as { field: string; message: string }[];
        assert.ok(
          errors.some((error) => error.field === refusal.field),
          JSON.stringify(errors),
        );
        assert.match(String(body.error), new RegExp(refusal.field.replace(/[()]/g, '\\$&')));
      }
    });
  }

  it('never answers a random body with a 5xx (fast-check, 2,000 bodies)', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.constant(''),
    );
    const price = fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.bigInt().map(String));
    const bidLike = fc.record(
      { item: fc.oneof(text, fc.anything()), name: fc.oneof(text, fc.anything()), price, extra: fc.anything() },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      bidLike.map((value) => JSON.stringify(value)),
      fc.jsonValue().map((value) => JSON.stringify(value)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const { status, body: answer } = await postBidJson(web.baseUrl, raw ?? 'null');
        if (status === 201) accepted.push(answer as unknown as PlacedBid);
        return status < 500 && [201, 400, 413, 422].includes(status);
      }),
      { numRuns: 2_000 },
    );
  });

  it('produced a record for every accepted bid and for nothing that was refused', async () => {
    const records = await readTopic(topic, accepted.length + 1, 15_000);
    const ids = records.map((record) => bidOf(record).bid_id);
    assert.deepEqual(ids.sort(), accepted.map((bid) => bid.bid_id).sort());
  });

  it('sends security headers and no framework banner', async () => {
    const response = await fetch(`${web.baseUrl}/`);
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-powered-by'), null);
  });

  it('reports the highest bid, overall and per item, as ORDER BY price DESC in MySQL does, and 404 for an item without bids', async () => {
    const rows = [
      ['11111111-1111-4111-8111-111111111111', 'Oak dresser', 'Grace', 900, '2026-01-01 10:00:00.000'],
      ['22222222-2222-4222-8222-222222222222', 'Oak dresser', 'Linus', 1200, '2026-01-01 10:00:01.000'],
      ['33333333-3333-4333-8333-333333333333', 'Tin robot', 'Ada', 1200, '2026-01-01 09:00:00.000'],
      ['44444444-4444-4444-8444-444444444444', 'Tin robot', 'Ken', 300, '2026-01-01 11:00:00.000'],
    ];
    await database.pool.query(
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES ?',
      [rows.map((row, i) => [...row, 0, i])],
    );
    const [top] = await database.pool.query<RowDataPacket[]>(
      'SELECT bid_id FROM bids ORDER BY price DESC, bid_ts ASC LIMIT 1',
    );
    const overall = (await (await fetch(`${web.baseUrl}/api/highest`)).json()) as Bid;
    assert.equal(overall.bid_id, top[0]?.bid_id);
    assert.equal(overall.bid_id, '33333333-3333-4333-8333-333333333333', 'at equal prices the earlier bid wins');
    assert.equal(overall.bid_ts, '2026-01-01T09:00:00.000Z');

    const [topDresser] = await database.pool.query<RowDataPacket[]>(
      "SELECT bid_id FROM bids WHERE item = 'Oak dresser' ORDER BY price DESC LIMIT 1",
    );
    const dresser = (await (
      await fetch(`${web.baseUrl}/api/items/${encodeURIComponent('Oak dresser')}/highest`)
    ).json()) as Bid;
    assert.equal(dresser.bid_id, topDresser[0]?.bid_id);

    const none = await fetch(`${web.baseUrl}/api/items/${encodeURIComponent('Nothing here')}/highest`);
    assert.equal(none.status, 404);
    assert.match(((await none.json()) as { error: string }).error, /No bids on item "Nothing here"/);
  });

  it('looks an item up normalised as bids carry it, and refuses one no bid can carry without repeating it', async () => {
    await database.pool.query(
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ['55555555-5555-4555-8555-555555555555', 'Walnut bureau', 'Barbara', 700, '2026-01-01 12:00:00.000', 2, 0],
    );
    const typed = encodeURIComponent(' Ｗａｌｎｕｔ\u00A0  bureau ');
    const highest = await fetch(`${web.baseUrl}/api/items/${typed}/highest`);
    assert.equal(highest.status, 200);
    assert.equal(((await highest.json()) as Bid).bid_id, '55555555-5555-4555-8555-555555555555');
    const recent = await fetch(`${web.baseUrl}/api/items/${typed}/bids`);
    assert.equal(recent.status, 200);
    const listed = (await recent.json()) as { item: string; bids: Bid[] };
    assert.equal(listed.item, 'Walnut bureau');
    assert.deepEqual(
      listed.bids.map((bid) => bid.bid_id),
      ['55555555-5555-4555-8555-555555555555'],
    );
    assert.equal((await fetch(`${web.baseUrl}/api/items/walnut%20bureau/highest`)).status, 404, 'case is kept');

    for (const route of ['highest', 'bids']) {
      const tooLong = await fetch(`${web.baseUrl}/api/items/${'w'.repeat(5_000)}/${route}`);
      assert.equal(tooLong.status, 400, route);
      assert.doesNotMatch(await tooLong.text(), /wwwwwwwwww/, `${route} does not repeat the item`);
    }
  });

  it('reads the highest bid from one index entry, without sorting the table, at 20,000 rows', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [
      randomUUID(),
      `lot-${i % 200}`,
      `bidder ${i}`,
      1 + ((i * 7919) % 1_000_000),
      '2026-01-02 00:00:00.000',
      1,
      i,
    ]);
    await database.pool.query(
      'INSERT INTO bids (bid_id, item, name, price, bid_ts, kafka_partition, kafka_offset) VALUES ?',
      [rows],
    );
    await database.pool.query('ANALYZE TABLE bids');
    for (const [sql, params] of [
      [HIGHEST_OVERALL_SQL, []],
      [HIGHEST_FOR_ITEM_SQL, ['lot-7']],
    ] as const) {
      const [plan] = await database.pool.query<RowDataPacket[]>(`EXPLAIN ${sql}`, [...params]);
      assert.equal(plan.length, 1);
      assert.match(String(plan[0]!.key), /^bids_by_(item_)?price$/, JSON.stringify(plan[0]));
      assert.doesNotMatch(String(plan[0]!.Extra), /filesort|temporary/, JSON.stringify(plan[0]));
      assert.ok(Number(plan[0]!.rows) <= 200, `reads ${plan[0]!.rows} rows`);
    }
  });

  it('answers /healthz, /readyz and /openapi.json', async () => {
    assert.equal((await fetch(`${web.baseUrl}/healthz`)).status, 200);
    const ready = (await (await fetch(`${web.baseUrl}/readyz`)).json()) as {
      ready: boolean;
      degraded: string[];
      checks: Record<string, string>;
    };
    assert.deepEqual(ready, {
      ready: true,
      degraded: [],
      checks: { kafka: 'ready', producer: 'ready', registry: 'ready', mysql: 'ready' },
    });
    const openapi = (await (await fetch(`${web.baseUrl}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    assert.equal(openapi.openapi, '3.1.0');
    assert.deepEqual(Object.keys(openapi.paths).sort(), [
      '/api/bids',
      '/api/dashboard',
      '/api/dashboard/events',
      '/api/events',
      '/api/highest',
      '/api/items/{item}/bids',
      '/api/items/{item}/highest',
      '/api/lots',
      '/healthz',
      '/readyz',
    ]);
  });
});

describe('the bid rate limit', () => {
  it('answers 429 with RateLimit headers once a client has used its bids for the minute, and produces nothing for them', async () => {
    const topic = await createTestTopic('api-limit', 1);
    const web = await startWebApp({ KAFKA_TOPIC: topic, BID_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      let limited: Headers | undefined;
      for (let i = 0; i < 5; i++) {
        const { status, headers } = await postBidJson(
          web.baseUrl,
          JSON.stringify({ item: 'lamp', name: 'Ada', price: 10 + i }),
        );
        statuses.push(status);
        if (status === 429) limited = headers;
      }
      assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
      assert.match(limited?.get('ratelimit') ?? '', /limit=3, remaining=0/);
      assert.equal((await readTopic(topic, 4, 5_000)).length, 3);
    } finally {
      await web.stop();
      await deleteTestTopic(topic);
    }
  });
});
