import { performance } from 'node:perf_hooks';
import type mysql from 'mysql2/promise';
import type { LatencyResult } from './benchResult';
import { Latencies } from '../lib/traffic/latencies';
import { isRefusal, LiveEventsClient } from './liveEventsClient';
import { MysqlVisibility } from './mysqlVisibility';
import { keepAliveAgent, sendBidsAtFixedRate } from './openLoopSender';
import type { Progress } from '../lib/traffic/progress';

/** How long after the last answer the run waits for bids still to show in MySQL or over SSE. */
const STRAGGLER_WAIT_MS = 10_000;

/** The `bid_id` of a live `bid` event (`{"bid":{"bid_id":…},"kafka":…}`), if it has one. */
function bidIdOf(data: string): string | undefined {
  try {
    const id = (JSON.parse(data) as { bid?: { bid_id?: unknown } }).bid?.bid_id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Latency at a fixed offered rate: bids are sent on schedule to the web app
 * (whose MySQL worker runs), and for each accepted bid three times are
 * taken: scheduled → 201, 201 → its row in MySQL, 201 → its `bid` event at
 * an SSE client connected before the first bid. A warm-up at the same rate
 * comes first and is not counted.
 */
export async function measureLatency(
  baseUrl: string,
  mysqlPool: mysql.Pool,
  options: { rate: number; seconds: number; warmUpSeconds: number },
  progress: Progress,
): Promise<LatencyResult> {
  const acceptance = new Latencies();
  const senderLate = new Latencies();
  const visibility = new MysqlVisibility(mysqlPool);
  const sse = new Latencies();
  const sseAwaited = new Map<string, number>();
  const sseSeenEarly = new Map<string, number>();

  const client = await LiveEventsClient.connect(baseUrl, (event, receivedAt) => {
    if (event.type !== 'bid') return;
    const bidId = bidIdOf(event.data);
    if (bidId === undefined) return;
    const acceptedAt = sseAwaited.get(bidId);
    if (acceptedAt === undefined) {
      // The event can overtake the 201: both follow the same acknowledgement.
      sseSeenEarly.set(bidId, receivedAt);
      return;
    }
    sse.record(Math.max(0, receivedAt - acceptedAt));
    sseAwaited.delete(bidId);
  });
  const sseOpen = !isRefusal(client);
  const agent = keepAliveAgent();
  try {
    progress.update(`latency: warming up at ${options.rate} bids/s for ${options.warmUpSeconds} s`);
    await sendBidsAtFixedRate(baseUrl, { rate: options.rate, seconds: options.warmUpSeconds, agent }, () => undefined);
    sseSeenEarly.clear();

    let sent = 0;
    let accepted = 0;
    let refused = 0;
    visibility.start();
    const ticker = setInterval(() => {
      progress.update(
        `latency: ${accepted} of ${Math.round(options.rate * options.seconds)} bids accepted at ${options.rate} bids/s; ` +
          `${visibility.waiting} awaited in MySQL, ${sseOpen ? `${sseAwaited.size} over SSE` : 'no SSE'}`,
      );
    }, 1_000);
    try {
      await sendBidsAtFixedRate(baseUrl, { rate: options.rate, seconds: options.seconds, agent }, (answer) => {
        sent++;
        senderLate.record(Math.max(0, answer.sentAt - answer.scheduledAt));
        if (answer.status !== 201 || answer.bidId === undefined) {
          refused++;
          return;
        }
        accepted++;
        acceptance.record(answer.answeredAt - answer.scheduledAt);
        visibility.expect(answer.bidId, answer.answeredAt);
        if (!sseOpen) return;
        const early = sseSeenEarly.get(answer.bidId);
        if (early === undefined) sseAwaited.set(answer.bidId, answer.answeredAt);
        else {
          sse.record(0);
          sseSeenEarly.delete(answer.bidId);
        }
      });
      const deadline = performance.now() + STRAGGLER_WAIT_MS;
      while ((visibility.waiting > 0 || sseAwaited.size > 0) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      clearInterval(ticker);
      await visibility.stop();
    }
    sse.recordMissing(sseAwaited.size);
    return {
      offeredRate: options.rate,
      seconds: options.seconds,
      sent,
      accepted,
      refused,
      senderLateP99Ms: senderLate.summary().p99,
      acceptance: acceptance.summary(),
      mysqlVisible: visibility.latencies.summary(),
      mysqlPollIntervalMs: visibility.pollIntervalMs,
      sse: isRefusal(client) ? { unavailable: client.refused } : sse.summary(),
    };
  } finally {
    agent.destroy();
    if (!isRefusal(client)) client.close();
  }
}
