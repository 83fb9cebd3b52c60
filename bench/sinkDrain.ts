import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../lib/errorMessage';
import { SinkWorkerProcess } from '../test/support/builtProgram';
import { freePort } from '../test/support/service';
import type { BenchSink } from './benchOptions';
import type { Measured, Throughput } from './benchResult';
import { residentBytes } from './processUsage';
import { recordsWrittenFrom } from './sinkMetricsText';
import type { SinkStore } from './sinkStores';

/** How often the worker's written count is read: the resolution of the drain time. */
const POLL_MS = 50;
/** A worker that writes nothing more for this long is reported as stopped, not waited for forever. */
const STALL_MS = 60_000;

/** A sink worker the benchmark started, still running after its drain (for the idle figure). */
export interface BenchWorker {
  sink: BenchSink;
  program: SinkWorkerProcess;
}

export interface DrainOutcome {
  startupSeconds: number | null;
  drain: Measured<Throughput>;
  peakRssBytes: number | null;
}

async function recordsWritten(metricsPort: number): Promise<number | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    return response.ok ? recordsWrittenFrom(await response.text()) : undefined;
  } catch {
    return undefined; // not listening yet
  }
}

/**
 * Starts the built worker of `sink` on `topic` (a backlog of `backlog` bids)
 * with a fresh consumer group and `store`, and times it from its partitions
 * being assigned (the "partitions assigned" log line) to its
 * `sink_records_written_total` reaching the backlog, read from its /metrics
 * every 50 ms. Start-up (spawn → assigned) is reported apart. The worker is
 * left running: `worker` is handed back for the idle figure and must be
 * stopped by the caller.
 */
export async function drainBacklog(
  sink: BenchSink,
  topic: string,
  backlog: number,
  store: SinkStore,
  onProgress: (written: number) => void,
): Promise<{ outcome: DrainOutcome; worker: BenchWorker }> {
  const metricsPort = await freePort();
  const spawnedAt = performance.now();
  const program = new SinkWorkerProcess(sink, {
    ...store.env,
    KAFKA_TOPIC: topic,
    SINK_CONSUMER_GROUP: `bench-${sink}-${randomUUID().slice(0, 8)}`,
    METRICS_PORT: String(metricsPort),
  });
  const worker = { sink, program };
  let assignedAt: number | undefined;
  void program
    .waitForLog((line) => line.msg === 'partitions assigned', STALL_MS)
    .then(() => (assignedAt = performance.now()))
    .catch(() => undefined);
  let written = 0;
  let lastGrowth = performance.now();
  while (written < backlog) {
    if (program.hasExited) {
      return { outcome: stopped(sink, `the worker exited: ${program.stderr.join('').trim().slice(0, 300)}`), worker };
    }
    if (performance.now() - lastGrowth > STALL_MS) {
      return { outcome: stopped(sink, `stopped at ${written} of ${backlog} bids`), worker };
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const now = await recordsWritten(metricsPort);
    if (now !== undefined && now > written) {
      written = now;
      lastGrowth = performance.now();
      onProgress(written);
    }
  }
  const doneAt = performance.now();
  const from = assignedAt ?? spawnedAt;
  const seconds = (doneAt - from) / 1000;
  return {
    outcome: {
      startupSeconds: assignedAt === undefined ? null : (assignedAt - spawnedAt) / 1000,
      drain: { records: written, seconds, perSecond: written / seconds },
      peakRssBytes: program.pid === undefined ? null : (residentBytes(program.pid, 'VmHWM') ?? null),
    },
    worker,
  };

  function stopped(name: string, why: string): DrainOutcome {
    return { startupSeconds: null, drain: { unavailable: `${name} sink: ${why}` }, peakRssBytes: null };
  }
}

/** Stops a worker as an operator would (SIGTERM), and kills it if it does not go within a minute. */
export async function stopWorker(worker: BenchWorker): Promise<void> {
  try {
    await worker.program.stop(60_000);
  } catch (error) {
    await worker.program.dispose();
    throw new Error(`the ${worker.sink} worker did not stop on SIGTERM: ${errorMessage(error)}`);
  }
}
