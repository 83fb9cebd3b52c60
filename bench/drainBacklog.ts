/**
 * Drains a backlog: produces N bids (the real codec, the real broker) to a
 * fresh topic, then runs each built sink worker against it in turn with a
 * fresh consumer group and a fresh store, and reports how fast it caught up
 * and its peak memory.
 *
 *   npm run build && npm run bench -- --bids 100000 --sinks mysql,csv,hive
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fromRoot } from '../lib/paths';
import { createTestTopic, deleteTestTopic } from '../test/support/kafkaTopics';
import { BidStream, sampleBid } from '../test/support/bidStream';
import { createTestHiveTable } from '../test/support/hiveBids';
import { countMysqlBids } from '../test/support/mysqlBids';
import { createTestDatabase } from '../test/support/mysqlDatabase';
import { SinkWorkerProcess } from '../test/support/builtProgram';
import { errorMessage } from '../lib/errorMessage';

const ALL_SINKS = ['mysql', 'csv', 'hive'] as const;

/** A fresh store for one sink: the settings that point the worker at it, how to count its rows, how to remove it. */
interface BenchStore {
  env: Record<string, string>;
  count(): Promise<number>;
  remove(): Promise<void>;
}

function option(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function mysqlStore(): Promise<BenchStore> {
  const database = await createTestDatabase('bench_auction');
  return {
    env: { MYSQL_URL: database.url },
    count: () => countMysqlBids(database.pool),
    remove: () => database.drop(),
  };
}

async function csvStore(): Promise<BenchStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-csv-'));
  const file = path.join(dir, 'bids.csv');
  return {
    env: { CSV_PATH: file },
    async count() {
      if (!fs.existsSync(file)) return 0;
      // One bid a line after the header; no field of a bid holds a line break.
      const text = fs.readFileSync(file, 'utf8');
      return Math.max(0, text.split('\n').filter((line) => line !== '').length - 1);
    },
    async remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function hiveStore(): Promise<BenchStore> {
  const table = await createTestHiveTable('bench_bids');
  return { env: { HIVE_TABLE: table.name }, count: () => table.count(), remove: () => table.drop() };
}

const STORES: Record<(typeof ALL_SINKS)[number], () => Promise<BenchStore>> = {
  mysql: mysqlStore,
  csv: csvStore,
  hive: hiveStore,
};

/** The peak resident set of a process so far (VmHWM), in MiB; undefined off Linux. */
function peakRssMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function drain(sink: (typeof ALL_SINKS)[number], topic: string, bids: number): Promise<void> {
  if (!fs.existsSync(fromRoot('dist', 'workers', sink, 'main.js'))) {
    console.log(`${sink}: skipped, dist/workers/${sink}/main.js does not exist (build it first)`);
    return;
  }
  const store = await STORES[sink]();
  const worker = new SinkWorkerProcess(sink, {
    ...store.env,
    KAFKA_TOPIC: topic,
    SINK_CONSUMER_GROUP: `bench-${sink}-${randomUUID().slice(0, 8)}`,
    LOG_LEVEL: 'warn',
  });
  const started = Date.now();
  let count = 0;
  let lastChange = Date.now();
  let peak: number | undefined;
  try {
    let progressAt = Date.now();
    while (count < bids && !worker.hasExited) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const now = await store.count();
      peak = peakRssMiB(worker.pid) ?? peak;
      if (now !== count) lastChange = Date.now();
      count = now;
      if (Date.now() - lastChange > 30_000) break; // stopped growing
      if (Date.now() - progressAt > 5_000) {
        console.log(`${sink}: ${count} / ${bids}`);
        progressAt = Date.now();
      }
    }
    const seconds = (Date.now() - started) / 1000;
    worker.kill('SIGTERM');
    await worker.exit(60_000).catch(() => undefined);
    const outcome = count >= bids ? 'drained' : worker.hasExited ? 'worker exited' : 'stopped growing';
    console.log(
      `${sink}: ${outcome}: ${count} of ${bids} bids in ${seconds.toFixed(1)} s = ` +
        `${Math.round(count / seconds)} rows/s, peak RSS ${peak === undefined ? 'n/a' : `${peak.toFixed(0)} MiB`}`,
    );
    if (worker.hasExited && count < bids) console.log(worker.stderr.join(''));
  } finally {
    await worker.dispose();
    await store.remove();
  }
}

async function main(): Promise<void> {
  const bids = Number(option('bids') ?? 100_000);
  if (!Number.isInteger(bids) || bids < 1) throw new Error('--bids must be a positive whole number');
  const sinks = (option('sinks') ?? ALL_SINKS.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter((name): name is (typeof ALL_SINKS)[number] => {
      const known = (ALL_SINKS as readonly string[]).includes(name);
      if (!known) console.log(`${name}: skipped, not one of ${ALL_SINKS.join(', ')}`);
      return known;
    });
  const topic = await createTestTopic('bench-backlog', 3);
  try {
    const stream = await BidStream.open();
    const producedStarted = Date.now();
    try {
      const chunk = 10_000;
      for (let start = 0; start < bids; start += chunk) {
        const count = Math.min(chunk, bids - start);
        await stream.sendBids(
          topic,
          Array.from({ length: count }, (_, i) => sampleBid(start + i)),
        );
      }
    } finally {
      await stream.close();
    }
    console.log(`backlog: ${bids} bids on ${topic} in ${((Date.now() - producedStarted) / 1000).toFixed(1)} s`);
    for (const sink of sinks) await drain(sink, topic, bids);
  } finally {
    await deleteTestTopic(topic);
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${errorMessage(error)}`);
  process.exit(1);
});
