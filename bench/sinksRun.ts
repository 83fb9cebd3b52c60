import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fromRoot } from '../lib/paths';
import { BidStream, sampleBid } from '../test/support/bidStream';
import type { BenchOptions, BenchSink } from './benchOptions';
import type { Measured, SinkDrainResult, SinksResult, Throughput } from './benchResult';
import { formatRate } from './benchReport';
import { benchTopic } from './benchEnvironment';
import { Cleanup } from './cleanup';
import { measureConsumeCeiling } from './consumeCeiling';
import { measureCsvWriteCeiling } from './csvWriteCeiling';
import { measureIdleCpu } from './idleCpu';
import { measureMysqlWriteCeiling } from './mysqlWriteCeiling';
import { measureOdbcWriteCeiling } from './odbcWriteCeiling';
import type { Progress } from '../lib/traffic/progress';
import { drainBacklog, stopWorker, type BenchWorker } from './sinkDrain';
import { createSinkStore } from './sinkStores';
import { errorMessage } from '../lib/errorMessage';

const PARTITIONS = 3;

const STORE_CEILINGS: Record<
  BenchSink,
  (records: number, onProgress: (written: number) => void) => Promise<Throughput>
> = {
  mysql: measureMysqlWriteCeiling,
  csv: measureCsvWriteCeiling,
  hive: measureOdbcWriteCeiling,
  // The statistics worker writes to the same MySQL server: its ceiling is the server's raw write rate.
  stats: measureMysqlWriteCeiling,
};

/** Runs a ceiling; one that fails is reported as n/a with its reason rather than ending the run. */
async function ceiling(
  name: string,
  measure: () => Promise<Throughput>,
  progress: Progress,
): Promise<Measured<Throughput>> {
  try {
    const throughput = await measure();
    progress.note(`${name}: ${formatRate(throughput.perSecond, 'rows')}`);
    return throughput;
  } catch (error) {
    progress.note(`${name}: failed: ${errorMessage(error)}`);
    return { unavailable: `failed: ${errorMessage(error)}` };
  }
}

async function produceBacklog(topic: string, bids: number, progress: Progress): Promise<number> {
  const stream = await BidStream.open();
  const started = performance.now();
  try {
    const chunk = 10_000;
    for (let start = 0; start < bids; start += chunk) {
      const count = Math.min(chunk, bids - start);
      await stream.sendBids(
        topic,
        Array.from({ length: count }, (_, i) => sampleBid(start + i)),
      );
      progress.update(`sinks: backlog ${start + count} of ${bids} bids produced`);
    }
  } finally {
    await stream.close();
  }
  return (performance.now() - started) / 1000;
}

/**
 * The sinks: a backlog on a fresh topic; node-rdkafka's consume-only rate
 * on it; then for each sink its store's raw write rate and the built worker
 * draining the backlog into a fresh store, one sink at a time; then every
 * worker's CPU while idle (they are left running after their drain for it).
 */
export async function measureSinks(options: BenchOptions, progress: Progress): Promise<SinksResult> {
  const cleanup = new Cleanup();
  const backlog = options.backlogBids;
  try {
    const topic = await benchTopic('bench-backlog', PARTITIONS, cleanup);
    const produceSeconds = await produceBacklog(topic, backlog, progress);
    progress.note(`sinks: backlog of ${backlog} bids produced in ${produceSeconds.toFixed(1)} s`);
    const consumeCeiling = await ceiling(
      'consume-only ceiling',
      () =>
        measureConsumeCeiling(topic, PARTITIONS, backlog, (consumed) =>
          progress.update(`sinks: consume-only ceiling: ${consumed} of ${backlog}`),
        ),
      progress,
    );

    const drains: SinkDrainResult[] = [];
    const workers: BenchWorker[] = [];
    for (const sink of options.sinks) {
      if (!fs.existsSync(fromRoot('dist', 'workers', sink, 'main.js'))) {
        const missing = { unavailable: `dist/workers/${sink}/main.js is missing: npm run build` };
        drains.push({ sink, startupSeconds: null, drain: missing, storeCeiling: missing, peakRssBytes: null });
        continue;
      }
      const storeCeiling = await ceiling(
        `${sink} store-only ceiling`,
        () =>
          STORE_CEILINGS[sink](backlog, (written) =>
            progress.update(`sinks: ${sink} store-only ceiling: ${written} of ${backlog} rows`),
          ),
        progress,
      );
      const store = await createSinkStore(sink);
      cleanup.add(`the ${sink} store`, () => store.remove());
      const { outcome, worker } = await drainBacklog(sink, topic, backlog, store, (written) =>
        progress.update(`sinks: ${sink} worker: ${written} of ${backlog} bids written`),
      );
      cleanup.add(`the ${sink} worker`, () => stopWorker(worker));
      workers.push(worker);
      progress.note(
        'unavailable' in outcome.drain
          ? `${sink} drain: n/a (${outcome.drain.unavailable})`
          : `${sink} drain: ${formatRate(outcome.drain.perSecond, 'rows')}`,
      );
      drains.push({ sink, ...outcome, storeCeiling });
    }

    const idle = workers.filter((worker) => !worker.program.hasExited && worker.program.pid !== undefined);
    progress.update(`sinks: idle CPU of ${idle.map((worker) => worker.sink).join(', ')} over ${options.idleSeconds} s`);
    // The last batch's commit and log line settle first.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const percents = await measureIdleCpu(
      idle.map((worker) => worker.program.pid!),
      options.idleSeconds,
    );
    return {
      backlog,
      produceSeconds,
      consumeCeiling,
      drains,
      idleCpu: idle.map((worker, index) => ({
        sink: worker.sink,
        percentOfCore: percents[index] ?? null,
        seconds: options.idleSeconds,
      })),
    };
  } finally {
    progress.update('sinks: stopping the workers and removing the stores');
    await cleanup.run((line) => progress.note(line));
  }
}
