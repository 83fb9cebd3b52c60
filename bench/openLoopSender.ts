import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { postBid } from '../lib/traffic/postBid';

/** What became of one bid sent on schedule. Times are `performance.now()` milliseconds. */
export interface BidAnswer {
  index: number;
  scheduledAt: number;
  sentAt: number;
  answeredAt: number;
  /** The HTTP status, or 0 when the request failed without one. */
  status: number;
  /** The accepted bid's id (from the 201 body). */
  bidId: string | undefined;
}

/** The body of bid number `index`: a few lots, rising prices, so the highest bids keep changing as in a live auction. */
export function scheduledBidBody(index: number): string {
  return JSON.stringify({ item: `Bench lot ${index % 20}`, name: 'Bench bidder', price: 1000 + index });
}

/**
 * Sends `rate` bids a second to `POST /api/bids` for `seconds`, each at its
 * scheduled time whether or not earlier ones have been answered (open loop):
 * a slow answer delays nobody else's request, so latency is not hidden by
 * the sender slowing down with the server. Latency counts from the scheduled
 * time, so a sender running late is charged too, never flattered.
 * `onAnswer` is called for each bid as it is answered; resolves once every
 * bid has been answered or has failed.
 */
export async function sendBidsAtFixedRate(
  baseUrl: string,
  options: { rate: number; seconds: number; requestTimeoutMs?: number; agent?: http.Agent },
  onAnswer: (answer: BidAnswer) => void,
): Promise<void> {
  const url = new URL('/api/bids', baseUrl);
  const agent = options.agent ?? keepAliveAgent();
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const answers: Promise<void>[] = [];

  const send = async (index: number, scheduledAt: number): Promise<void> => {
    const sentAt = performance.now();
    const answer = await postBid(url, scheduledBidBody(index), agent, options.requestTimeoutMs ?? 10_000);
    let bidId: string | undefined;
    if (answer.status === 201) {
      try {
        bidId = (JSON.parse(answer.body) as { bid_id?: string }).bid_id;
      } catch {
        // An answer without a readable body is counted as a failure below (no bid id).
      }
    }
    const status = bidId === undefined && answer.status === 201 ? 0 : answer.status;
    onAnswer({ index, scheduledAt, sentAt, answeredAt: answer.answeredAt, status, bidId });
  };

  const start = performance.now();
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        answers.push(send(next, start + next * interval));
        next++;
      }
      if (next >= total) {
        resolve();
        return;
      }
      setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
  await Promise.all(answers);
  if (options.agent === undefined) agent.destroy();
}

/**
 * Keep-alive connections for an open-loop run: enough that the schedule
 * never waits for a free one unless the server stalls for long. Share one
 * between a warm-up and the measured run, so the run does not pay for
 * opening connections.
 */
export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 512 });
}
