import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Bid } from '../../lib/bid/bid';
import { BidStream, sampleBid, streamBids } from './bidStream';
import { SinkWorkerProcess } from './builtProgram';

/**
 * A sink worker as a crash test sees it: which built worker to run, the
 * environment that points it at a fresh store, and how to read that store
 * back. The MySQL, CSV and Hive workers each supply their own.
 */
export interface SinkUnderTest {
  /** The folder under dist/workers: `mysql`, `csv`, `hive`. */
  worker: string;
  /** Settings pointing the worker at this test's own store (MYSQL_URL, CSV_PATH, HIVE_TABLE…). */
  env: Record<string, string>;
  /** How many bid rows the store holds now (duplicates counted). */
  countStored(): Promise<number>;
  /** Every bid row the store holds, duplicates included, in the produced shape. */
  readStored(): Promise<Bid[]>;
}

export interface CrashRun {
  produced: Bid[];
  stored: Bid[];
  kills: number;
  workers: SinkWorkerProcess[];
}

function randomBetween(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min));
}

/** Polls until the store holds `expected` rows, or its count has not moved for `quietMs`. */
export async function waitForStoreCount<Store extends Pick<SinkUnderTest, 'countStored'>>(
  sink: Store,
  expected: number,
  quietMs = 20_000,
): Promise<number> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const count = await sink.countStored();
    if (count >= expected) return count;
    if (count !== last) {
      last = count;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > quietMs) {
      return count;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Streams `bidCount` bids to `topic` while SIGKILLing the worker `kills`
 * times at random moments (each restart resumes from what the store says it
 * wrote), then lets a last worker catch up and stops it with SIGTERM.
 */
export async function streamWhileKillingWorker(
  sink: SinkUnderTest,
  topic: string,
  options: { bidCount: number; kills: number },
): Promise<CrashRun> {
  const produced = Array.from({ length: options.bidCount }, (_, i) => sampleBid(i));
  const workers = await killWorkerWhileStreaming(sink, topic, produced, options.kills);
  return { produced, stored: await sink.readStored(), kills: options.kills, workers };
}

/**
 * Streams `bids` to `topic` (about 40 s of stream, so every kill lands while
 * bids are still arriving) while SIGKILLing the worker `kills` times at
 * random moments, each restart resuming from what its store says it wrote;
 * then lets a last worker catch up until `countStored` reaches the number of
 * bids and stops it with SIGTERM. Returns every worker it ran, all ended.
 */
export async function killWorkerWhileStreaming(
  sink: Pick<SinkUnderTest, 'worker' | 'env' | 'countStored'>,
  topic: string,
  bids: readonly Bid[],
  kills: number,
): Promise<SinkWorkerProcess[]> {
  const group = `crash-${sink.worker}-${randomUUID().slice(0, 8)}`;
  const env = {
    ...sink.env,
    KAFKA_TOPIC: topic,
    SINK_CONSUMER_GROUP: group,
    SINK_BATCH_MAX_RECORDS: '500',
    SINK_SESSION_TIMEOUT_MS: '6000',
  };
  const stream = await BidStream.open();
  const workers: SinkWorkerProcess[] = [];
  try {
    const producing = streamBids(stream, topic, bids, 80, 500);
    for (let kill = 0; kill < kills; kill++) {
      const worker = new SinkWorkerProcess(sink.worker, env);
      workers.push(worker);
      await worker.waitForLog((line) => line.msg === 'partitions assigned', 60_000);
      await new Promise((resolve) => setTimeout(resolve, randomBetween(200, 2500)));
      worker.kill('SIGKILL');
      const { signal } = await worker.exit();
      assert.equal(signal, 'SIGKILL', 'the worker was killed, not stopped by itself');
    }
    await producing;
    const last = new SinkWorkerProcess(sink.worker, env);
    workers.push(last);
    await waitForStoreCount(sink, bids.length);
    last.kill('SIGTERM');
    const { code } = await last.exit();
    assert.equal(code, 0, `the last worker stops cleanly; stderr: ${last.stderr.join('')}`);
    return workers;
  } finally {
    for (const worker of workers) await worker.dispose();
    await stream.close();
  }
}

/** The store holds every produced bid exactly once, each field as produced. */
export function assertEveryBidStoredOnce(produced: readonly Bid[], stored: readonly Bid[]): void {
  const byId = new Map<string, Bid>();
  const duplicates: string[] = [];
  for (const bid of stored) {
    if (byId.has(bid.bid_id)) duplicates.push(bid.bid_id);
    byId.set(bid.bid_id, bid);
  }
  assert.deepEqual(duplicates.slice(0, 5), [], `${duplicates.length} bids stored more than once`);
  const missing = produced.filter((bid) => !byId.has(bid.bid_id));
  assert.equal(missing.length, 0, `${missing.length} of ${produced.length} bids missing, e.g. ${missing[0]?.bid_id}`);
  for (const bid of produced) assert.deepEqual(byId.get(bid.bid_id), bid);
  assert.equal(stored.length, produced.length, 'nothing stored that was not produced');
}

/**
 * One worker per sink, each in a consumer group of its own, all reading
 * `topic` and parking what they cannot store on `deadLetterTopic`.
 */
export function startSinkWorkers(
  sinks: readonly SinkUnderTest[],
  topics: { topic: string; deadLetterTopic: string },
  groupPrefix: string,
): SinkWorkerProcess[] {
  return sinks.map(
    (sink) =>
      new SinkWorkerProcess(sink.worker, {
        ...sink.env,
        KAFKA_TOPIC: topics.topic,
        KAFKA_DLQ_TOPIC: topics.deadLetterTopic,
        SINK_CONSUMER_GROUP: `${groupPrefix}-${sink.worker}-${randomUUID().slice(0, 8)}`,
      }),
  );
}
