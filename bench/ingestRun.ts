import type { BenchOptions } from './benchOptions';
import type { IngestResult } from './benchResult';
import { formatRate } from './benchReport';
import { Cleanup } from './cleanup';
import { bareEndpoint, benchDatabase, benchTopic, benchWebApp } from './benchEnvironment';
import { loadEndpoint } from './ingestLoad';
import type { Progress } from '../lib/traffic/progress';

/** Seconds of load before each measurement, not counted: JIT, connection set-up, first produce requests. */
const WARM_UP_SECONDS = 2;

/**
 * Ingest: `POST /api/bids` on the web app (producing to a fresh topic)
 * and on the bare Express + ajv endpoint, at the same fixed concurrency, one
 * after the other in the same run. Nothing else the benchmark starts runs
 * meanwhile (no sink worker), so both get the same machine.
 */
export async function measureIngest(options: BenchOptions, progress: Progress): Promise<IngestResult> {
  const cleanup = new Cleanup();
  try {
    progress.update('ingest: starting the bare endpoint and the web app');
    const bare = await bareEndpoint(cleanup);
    const topic = await benchTopic('bench-ingest', 3, cleanup);
    const database = await benchDatabase(cleanup);
    const web = await benchWebApp(topic, database.url, cleanup);
    const measure = async (name: string, baseUrl: string) => {
      const url = `${baseUrl}/api/bids`;
      const load = { connections: options.ingestConnections, seconds: WARM_UP_SECONDS };
      await loadEndpoint(url, load, (second) => progress.update(`ingest: ${name}: warming up, ${second} s`));
      const measured = await loadEndpoint(url, { ...load, seconds: options.ingestSeconds }, (second) =>
        progress.update(`ingest: ${name}: ${second} of ${options.ingestSeconds} s`),
      );
      progress.note(`ingest: ${name}: ${formatRate(measured.okPerSecond, '2xx')}, p99 ${measured.p99} ms`);
      return measured;
    };
    const bareLoad = await measure('bare Express + ajv', bare.baseUrl);
    await bare.program.stop();
    const appLoad = await measure('web app', web.baseUrl);
    return { app: appLoad, bare: bareLoad };
  } finally {
    await cleanup.run((line) => progress.note(line));
  }
}
