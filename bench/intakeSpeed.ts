/**
 * Measures bid intake alone, by hand (not in CI): for each `linger.ms` asked
 * for, starts the built web app on a fresh topic, places bids one at a time
 * (acceptance latency p50/p99, each bid answered before the next is sent),
 * then hammers `POST /api/bids` from many keep-alive connections with
 * autocannon (bids/s, p50/p99).
 *
 *   npm run build && node dist/bench/intakeSpeed.js [--linger 0,1,2,5] [--connections 64] [--seconds 10]
 *       [--single 500] [--cpu-prof <folder>]
 *
 * `--cpu-prof` writes a V8 CPU profile of the web process per run into the
 * folder (by default under the system's temp folder; open it in Chrome DevTools or speedscope).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { fromRoot } from '../lib/paths';
import { createTestTopic, deleteTestTopic } from '../test/support/kafkaTopics';
import { freePort, waitFor } from '../test/support/service';
import { startWebApp } from '../test/support/webApp';

interface IntakeFigures {
  lingerMs: number;
  single: { count: number; p50Ms: number; p99Ms: number };
  load: { connections: number; seconds: number; bidsPerSecond: number; p50Ms: number; p99Ms: number; non2xx: number };
}

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/** Bids one after another, each answered before the next is sent: what one bidder at low load waits. */
async function oneAtATime(baseUrl: string, count: number): Promise<IntakeFigures['single']> {
  const took: number[] = [];
  for (let i = -20; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/bids`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: `Lot ${i % 30}`, name: 'Bench', price: 100 + i }),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`a single bid was answered ${response.status}`);
    // The first 20 warm up the connection, the JIT and librdkafka's metadata.
    if (i >= 0) took.push(performance.now() - started);
  }
  took.sort((a, b) => a - b);
  return { count, p50Ms: percentile(took, 50), p99Ms: percentile(took, 99) };
}

/** Many keep-alive connections, each sending its next bid as soon as the last is answered. */
async function underLoad(baseUrl: string, connections: number, seconds: number): Promise<IntakeFigures['load']> {
  const result = await autocannon({
    url: `${baseUrl}/api/bids`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    // A different item per request spreads the bids over every partition, as real lots do.
    body: JSON.stringify({ item: 'Lot [<id>]', name: 'Bench', price: 100 }),
    idReplacement: true,
  });
  return {
    connections,
    seconds,
    bidsPerSecond: Math.round(result['2xx'] / seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

/** A web app under measurement: where it answers and how to stop it. */
interface MeasuredWeb {
  baseUrl: string;
  stop(): Promise<unknown>;
}

/**
 * The built web app run with `--cpu-prof` (a flag NODE_OPTIONS may not
 * carry), so its profile is written when SIGTERM makes it exit.
 */
async function startProfiledWeb(env: Record<string, string>, profileDir: string, name: string): Promise<MeasuredWeb> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}`, fromRoot('dist', 'web', 'main.js')],
    { cwd: fromRoot(), env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor('the profiled web app to be ready', async () =>
    (await fetch(`${baseUrl}/readyz`)).ok ? true : undefined,
  );
  return {
    baseUrl,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function measure(lingerMs: number, profileDir: string | undefined): Promise<IntakeFigures> {
  const topic = await createTestTopic('bench-intake');
  const env: Record<string, string> = {
    KAFKA_TOPIC: topic,
    KAFKA_LINGER_MS: String(lingerMs),
    BID_RATE_LIMIT_PER_MINUTE: '100000000',
    READ_RATE_LIMIT_PER_MINUTE: '100000000',
    LOG_LEVEL: 'warn',
  };
  const web: MeasuredWeb =
    profileDir === undefined
      ? await startWebApp(env)
      : await startProfiledWeb(env, profileDir, `web-linger${lingerMs}.cpuprofile`);
  try {
    const single = await oneAtATime(web.baseUrl, Number(option('single', '500')));
    const load = await underLoad(web.baseUrl, Number(option('connections', '64')), Number(option('seconds', '10')));
    return { lingerMs, single, load };
  } finally {
    await web.stop();
    await deleteTestTopic(topic);
  }
}

async function main(): Promise<void> {
  const lingers = option('linger', '0,1,2,5')
    .split(',')
    .map((value) => Number(value));
  const profile = process.argv.includes('--cpu-prof')
    ? path.resolve(option('cpu-prof', path.join(os.tmpdir(), 'intake-profiles')))
    : undefined;
  if (profile !== undefined) fs.mkdirSync(profile, { recursive: true });
  const all: IntakeFigures[] = [];
  for (const lingerMs of lingers) {
    const figures = await measure(lingerMs, profile);
    all.push(figures);
    console.log(
      `linger.ms=${lingerMs}: one at a time p50 ${figures.single.p50Ms.toFixed(2)} ms, p99 ${figures.single.p99Ms.toFixed(2)} ms; ` +
        `${figures.load.connections} connections: ${figures.load.bidsPerSecond} bids/s, p50 ${figures.load.p50Ms} ms, ` +
        `p99 ${figures.load.p99Ms} ms, non-2xx ${figures.load.non2xx}`,
    );
  }
  console.log(JSON.stringify(all));
  if (profile !== undefined) console.log(`CPU profiles of the web process in ${profile}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
