import { randomUUID } from 'node:crypto';
import { SinkWorkerProcess } from '../test/support/builtProgram';
import type { BenchOptions } from './benchOptions';
import type { LatencyResult, Measured, MemoryResult } from './benchResult';
import { formatMs } from './benchReport';
import { benchDatabase, benchTopic, benchWebApp } from './benchEnvironment';
import { Cleanup } from './cleanup';
import { measureLatency } from './latencyRun';
import type { Progress } from '../lib/traffic/progress';
import { measureSseMemory } from './sseMemory';

/**
 * The live path, as a bidder and a watcher see it: the web app and the
 * MySQL worker on a fresh topic and database, then the latency figures at a
 * fixed rate and the web app's memory with many SSE clients.
 */
export async function measureLive(
  options: BenchOptions,
  progress: Progress,
): Promise<{ latency?: LatencyResult; memory?: Measured<MemoryResult> }> {
  const cleanup = new Cleanup();
  try {
    progress.update('live: starting the web app and the MySQL worker');
    const topic = await benchTopic('bench-live', 3, cleanup);
    const database = await benchDatabase(cleanup);
    const web = await benchWebApp(topic, database.url, cleanup);
    const worker = new SinkWorkerProcess('mysql', {
      MYSQL_URL: database.url,
      KAFKA_TOPIC: topic,
      SINK_CONSUMER_GROUP: `bench-live-${randomUUID().slice(0, 8)}`,
    });
    cleanup.add('the MySQL worker', async () => {
      if (!worker.hasExited) await worker.stop();
    });
    await worker
      .waitForLog((line) => line.msg === 'partitions assigned', 60_000)
      .catch(() => {
        progress.note('live: the MySQL worker has not logged "partitions assigned" within 60 s; measuring anyway');
      });

    const result: { latency?: LatencyResult; memory?: Measured<MemoryResult> } = {};
    if (options.parts.includes('latency')) {
      const latency = await measureLatency(
        web.baseUrl,
        database.pool,
        { rate: options.latencyRate, seconds: options.latencySeconds, warmUpSeconds: options.quick ? 1 : 3 },
        progress,
      );
      progress.note(
        `latency: acceptance p99 ${formatMs(latency.acceptance.p99)}, MySQL p99 ${formatMs(latency.mysqlVisible.p99)}, ` +
          `SSE ${'unavailable' in latency.sse ? latency.sse.unavailable : `p99 ${formatMs(latency.sse.p99)}`}`,
      );
      result.latency = latency;
    }
    if (options.parts.includes('memory')) {
      const memory = await measureSseMemory(
        web.baseUrl,
        web.program.pid!,
        { clients: options.sseClients, bidRate: options.memoryRate, seconds: options.memorySeconds },
        progress,
      );
      progress.note(
        'unavailable' in memory
          ? `memory: n/a (${memory.unavailable})`
          : `memory: web RSS ${((memory.rssPeakBytes ?? 0) / 1e6).toFixed(0)} MB with ${memory.clientsAtEnd} SSE clients`,
      );
      result.memory = memory;
    }
    if (worker.hasExited) throw new Error(`the MySQL worker exited during the run: ${worker.stderr.join('')}`);
    return result;
  } finally {
    await cleanup.run((line) => progress.note(line));
  }
}
