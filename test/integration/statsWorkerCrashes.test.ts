import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { countedRecords, expectedStatistics, readBidStatistics } from '../support/bidStatistics';
import { sampleBid } from '../support/bidStream';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { readTopic } from '../support/readTopic';
import { killWorkerWhileStreaming } from '../support/sinkCrashRecovery';

const BIDS = 20_000;

/** A small deterministic generator (mulberry32): the same stream shape on every run. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * 20,000 bids over about 13 minutes of bid time on 8 items and 40 bidders,
 * mostly a little out of order, some beyond the default 10 s of allowed
 * lateness in their 3 s window, a few beyond it in their minute.
 */
function crashStream(run: string): Bid[] {
  const random = seededRandom(9);
  const start = Date.UTC(2026, 5, 1, 13, 0, 0);
  return Array.from({ length: BIDS }, (_, index) => {
    const roll = random();
    const jitter = roll < 0.01 ? -150_000 : roll < 0.06 ? -15_000 * random() : -1_500 * random();
    return sampleBid(index, {
      item: `Lot ${Math.floor(random() * 8)} ${run}`,
      name: `Bidder ${Math.floor(random() * 40)}`,
      price: 1 + Math.floor(random() * 100_000),
      bid_ts: new Date(start + index * 40 + Math.round(jitter)).toISOString(),
    });
  });
}

describe('the statistics worker survives being killed', () => {
  let topic: string;
  let database: TestDatabase;
  before(async () => {
    topic = await createTestTopic('stats-crash', 3);
    database = await createTestDatabase('test_stats');
  });
  after(async () => {
    await deleteTestTopic(topic);
    // The test's own database: its windows, bidders and positions go with it.
    await database.drop();
  });

  it('counts each of 20,000 bids exactly once across four SIGKILLs mid-stream: every window equals an independent count', async () => {
    const bids = crashStream(randomUUID().slice(0, 8));
    await killWorkerWhileStreaming(
      { worker: 'stats', env: { MYSQL_URL: database.url }, countStored: () => countedRecords(database.pool, topic) },
      topic,
      bids,
      4,
    );
    const records = await readTopic(topic, BIDS, 60_000);
    assert.equal(records.length, BIDS);
    const expected = expectedStatistics(records, 10_000);
    assert.ok(expected.cases.late[3]! > 0 && expected.cases.late[60]! > 0, 'late bids at both sizes');
    const stored = await readBidStatistics(database.pool);
    assert.equal(stored.windows.length, expected.windows.length, 'as many window rows');
    assert.deepEqual(stored.windows, expected.windows);
    assert.deepEqual(stored.bidders, expected.bidders);
  });
});
