import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { ConfigError } from '../../lib/env';
import { MYSQL_MIGRATIONS_DIR } from '../../lib/mysql/migrate';
import type { Sink, SinkBatch } from '../../workers/runtime/sink';
import { createStatsSink } from '../../workers/stats/statsSink';
import { readBidStatistics } from '../support/bidStatistics';
import { sampleBid } from '../support/bidStream';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { testSinkContext } from '../support/sinkContext';

const TOPIC = 'auction';
const MINUTE = Date.UTC(2026, 5, 1, 14, 0, 0);

/** One partition's bids from `firstOffset` on, as the runtime hands them over, with the position after them. */
function batchOf(partition: number, firstOffset: number, bids: readonly Partial<Bid>[]): SinkBatch {
  return {
    records: bids.map((fields, index) => ({
      bid: sampleBid(index, { item: 'Clock', name: 'Ada', ...fields }),
      extra: {},
      schemaId: 1,
      topic: TOPIC,
      partition,
      offset: firstOffset + index,
    })),
    positions: new Map([[partition, firstOffset + bids.length]]),
  };
}

function at(ms: number): string {
  return new Date(MINUTE + ms).toISOString();
}

describe('the statistics worker’s store', () => {
  let database: TestDatabase;
  let sink: Sink;
  before(async () => {
    database = await createTestDatabase('test_stats');
    sink = createStatsSink(testSinkContext({ MYSQL_URL: database.url, STATS_ALLOWED_LATENESS_MS: '0' }));
    await sink.start();
    await sink.open(TOPIC, [0, 1]);
  });
  after(async () => {
    await sink.stop();
    await database.drop();
  });

  it('counts a batch once when it is written again, whole or in part, after its positions were stored', async () => {
    const first = batchOf(0, 0, [
      { price: 10, bid_ts: at(100) },
      { price: 20, bid_ts: at(200) },
    ]);
    await sink.write(first);
    // The same batch again (a worker that lost the partition while its write was in flight), then one that overlaps it.
    await sink.write(first);
    const overlapping = batchOf(0, 1, [
      { price: 20, bid_ts: at(200) },
      { price: 30, bid_ts: at(300) },
    ]);
    overlapping.records[0]!.bid = first.records[1]!.bid;
    await sink.write(overlapping);
    const clock = (await readBidStatistics(database.pool)).windows.find(
      (row) => row.window_seconds === 3 && row.item === 'Clock',
    );
    assert.deepEqual(
      clock && [clock.bids, clock.price_sum, clock.highest_price, clock.lowest_price, clock.bidders],
      [3, 60, 30, 10, 1],
    );
  });

  it('fills a window that so far held only late bids with the prices of a later bid on time', async () => {
    // Partition 0 is at 0.3 s: with no lateness allowed, a bid 3 s earlier is late and opens its window with no prices.
    await sink.write(batchOf(0, 3, [{ item: 'Vase', price: 50, bid_ts: at(-3_000) }]));
    let vase = (await readBidStatistics(database.pool)).windows.find(
      (row) => row.window_seconds === 3 && row.item === 'Vase',
    );
    assert.deepEqual(vase && [vase.bids, vase.late_bids, vase.highest_price, vase.lowest_price], [0, 1, null, null]);
    // Partition 1 has read nothing: the same window is open there.
    await sink.write(batchOf(1, 0, [{ item: 'Vase', name: 'Grace', price: 70, bid_ts: at(-2_500) }]));
    vase = (await readBidStatistics(database.pool)).windows.find(
      (row) => row.window_seconds === 3 && row.item === 'Vase',
    );
    assert.deepEqual(
      vase && [vase.bids, vase.late_bids, vase.highest_price, vase.lowest_price, vase.price_sum, vase.bidders],
      [1, 1, 70, 70, 70, 1],
    );
  });

  it('refuses to start, naming MYSQL_URL, the missing table and `npm run migrate`, in a database not migrated', async () => {
    await database.pool.query('DROP TABLE stats_positions');
    const unmigrated = createStatsSink(testSinkContext({ MYSQL_URL: database.url }));
    try {
      await assert.rejects(
        unmigrated.start(),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === 'MYSQL_URL' &&
          /stats_positions/.test(error.message) &&
          /npm run migrate/.test(error.message),
      );
    } finally {
      await unmigrated.stop();
      await database.pool.query(readFileSync(path.join(MYSQL_MIGRATIONS_DIR, '007_stats_positions.sql'), 'utf8'));
    }
  });
});
