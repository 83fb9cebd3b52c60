import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { countedRecords, expectedStatistics, readBidStatistics } from '../support/bidStatistics';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { runOperatorCommand } from '../support/operatorCommand';
import { readTopic } from '../support/readTopic';
import { waitForStoreCount } from '../support/sinkCrashRecovery';

const ALLOWED_LATENESS_MS = 2_000;
/** A UTC minute: the first window of both sizes starts here. */
const MINUTE = Date.UTC(2026, 5, 1, 12, 0, 0);

/**
 * Each item's bids, as milliseconds after MINUTE, step by step; every item
 * takes step k before any takes step k + 1, so each partition's stream time
 * follows the same course. With 2 s of allowed lateness: 1500 is out of
 * order but on time; 2000 is late in its 3 s window and on time in its
 * minute; 59000 after 61000 is on time in both; 30000 and 58000 after 64000
 * are late in both; 63500 after 65000 is on time; 100000 after 125000 is
 * late in both. The second part starts in a new worker process with 3000,
 * late in its 3 s window only because of the stream time stored with the
 * first part's positions, and on time in its minute.
 */
const FIRST_PART = [1000, 2500, 4000, 1500, 7000, 2000, 61000, 59000];
const SECOND_PART = [3000, 64000, 30000, 58000, 65000, 63500, 125000, 100000];
const NAMES = ['Ada', 'Grace', 'Émilie', "O'Brien"];

function bidsOf(items: readonly string[], steps: readonly number[], firstStep: number): Bid[] {
  return steps.flatMap((atMs, index) =>
    items.map((item, itemIndex) => {
      const step = firstStep + index;
      return sampleBid(step, {
        item,
        name: NAMES[(step + itemIndex) % 3]!,
        price: 10 + step * 5 + itemIndex,
        bid_ts: new Date(MINUTE + atMs + itemIndex * 7).toISOString(),
      });
    }),
  );
}

describe('the statistics worker', () => {
  const run = randomUUID().slice(0, 8);
  const items = [`Clock ${run}`, `Vase ${run}`, `Telescope ${run}`];
  let topic: string;
  let database: TestDatabase;
  let stream: BidStream;
  let env: Record<string, string>;
  const workers: SinkWorkerProcess[] = [];

  before(async () => {
    topic = await createTestTopic('stats-windows', 2);
    database = await createTestDatabase('test_stats');
    stream = await BidStream.open();
    env = {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `stats-windows-${run}`,
      STATS_ALLOWED_LATENESS_MS: String(ALLOWED_LATENESS_MS),
    };
  });
  after(async () => {
    for (const worker of workers) await worker.dispose();
    await stream.close();
    await deleteTestTopic(topic);
    // The test's own database: its windows, bidders and positions go with it.
    await database.drop();
  });

  function startWorker(): SinkWorkerProcess {
    const worker = new SinkWorkerProcess('stats', env);
    workers.push(worker);
    return worker;
  }

  async function waitUntilCounted(records: number): Promise<void> {
    const counted = await waitForStoreCount({ countStored: () => countedRecords(database.pool, topic) }, records);
    assert.equal(counted, records, 'the worker counted every record');
  }

  it('holds exactly the windows an independent count gives, with out-of-order and late bids at both sizes, across a restart', async () => {
    const first = bidsOf(items, FIRST_PART, 0);
    const second = bidsOf(items, SECOND_PART, FIRST_PART.length);
    await stream.sendBids(topic, first);
    const worker = startWorker();
    await waitUntilCounted(first.length);
    assert.equal((await worker.stop()).code, 0);
    // A new process: the stream time it decides lateness by comes from stats_positions.
    await stream.sendBids(topic, second);
    startWorker();
    const total = first.length + second.length;
    await waitUntilCounted(total);

    const expected = expectedStatistics(await readTopic(topic, total), ALLOWED_LATENESS_MS);
    for (const seconds of [3, 60]) {
      assert.ok(expected.cases.late[seconds]! > 0, `the stream has bids late in their ${seconds} s window`);
      assert.ok(expected.cases.outOfOrderOnTime[seconds]! > 0, `and out-of-order bids on time at ${seconds} s`);
    }
    const stored = await readBidStatistics(database.pool);
    assert.deepEqual(stored.windows, expected.windows);
    assert.deepEqual(stored.bidders, expected.bidders);
  });

  it('refuses to be rewound by sink:reset, and recounts the same figures from the topic after stats:rebuild', async () => {
    const counted = (await readBidStatistics(database.pool)).windows.length;
    assert.ok(counted > 0, 'the previous test left windows to rebuild');
    const reset = await runOperatorCommand('scripts/sinkReset.js', ['--sink', 'stats', '--to', 'earliest'], env);
    assert.equal(reset.code, 1);
    assert.match(reset.stderr, /counted twice.*npm run stats:rebuild/s);

    const whileRunning = await runOperatorCommand('scripts/statsRebuild.js', [], env);
    assert.equal(whileRunning.code, 1, 'refused while a worker of the group runs');
    assert.match(whileRunning.stderr, /stop every statistics worker/);
    assert.equal((await readBidStatistics(database.pool)).windows.length, counted, 'nothing cleared');

    const before = await readBidStatistics(database.pool);
    assert.equal((await workers.at(-1)!.stop()).code, 0);
    const rebuilt = await runOperatorCommand('scripts/statsRebuild.js', [], env);
    assert.equal(rebuilt.code, 0, rebuilt.stderr);
    assert.match(rebuilt.stdout, new RegExp(`removed ${counted} window rows`));
    assert.equal(await countedRecords(database.pool, topic), 0);
    startWorker();
    await waitUntilCounted(before.windows.length > 0 ? (FIRST_PART.length + SECOND_PART.length) * items.length : 0);
    assert.deepEqual(await readBidStatistics(database.pool), before, 'the same figures, not twice them');
  });
});
