import { performance } from 'node:perf_hooks';
import http from 'node:http';
import { postBid } from '../../lib/traffic/postBid';
import { bidAnswerOutcome, type BidOutcome } from './bidAnswerOutcome';
import type { AutobidTally } from './autobidTally';

/** One bid to post, as the API takes it. */
export interface BidRequest {
  item: string;
  name: string;
  price: number;
}

export interface TrafficPlan {
  url: URL;
  rate: number;
  durationSeconds: number | undefined;
  bids: number | undefined;
  concurrency: number;
  requestTimeoutMs: number;
}

/**
 * Posts bids on a fixed schedule (`rate` a second) whether or not earlier
 * ones are answered, so a slow web app is measured rather than politely
 * waited for (open loop, as bench/openLoopSender.ts). Two things hold a due
 * bid back, and each is counted, never hidden: `concurrency` bids already
 * awaiting an answer, and a `Retry-After` from the web app (429 or 503),
 * which is honoured until it runs out.
 */
export class BidTraffic {
  // One connection per bid in flight at most, so every request has its socket at once and `abandon` reaches them all.
  private readonly agent: http.Agent;
  private readonly answers = new Set<Promise<void>>();
  private stopping = false;
  private abandoned = false;
  private wakeUp: (() => void) | undefined;
  private pausedUntil = 0;
  private startedAt = 0;
  private sendingEndedAt: number | undefined;

  constructor(
    private readonly plan: TrafficPlan,
    private readonly tally: AutobidTally,
    private readonly nextBid: () => BidRequest,
    private readonly onOutcome: (request: BidRequest, outcome: BidOutcome, retryAfterAsked: boolean) => void,
    private readonly onRateLimitPolicy: (header: string) => void,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: plan.concurrency });
  }

  /** Seconds spent sending: from the first bid's time until sending stopped (or now, while it goes on). */
  get elapsedSeconds(): number {
    return this.startedAt === 0 ? 0 : ((this.sendingEndedAt ?? performance.now()) - this.startedAt) / 1000;
  }

  /** Whether a Retry-After is holding bids back now. */
  get pausedForRetryAfter(): boolean {
    return performance.now() < this.pausedUntil;
  }

  /** Sends until the duration or bid count is reached or `stop()` is called, then waits for the answers. */
  async run(): Promise<void> {
    const { rate, durationSeconds, bids, concurrency } = this.plan;
    const interval = 1000 / rate;
    this.startedAt = performance.now();
    const endsAt = durationSeconds === undefined ? Infinity : this.startedAt + durationSeconds * 1000;
    const limit = bids ?? Infinity;
    let slot = 0;
    let policySeen = false;
    while (!this.stopping && this.tally.sent < limit) {
      const now = performance.now();
      const dueAt = this.startedAt + slot * interval;
      if (dueAt >= endsAt) break;
      if (dueAt > now) {
        await this.sleep(dueAt - now);
        continue;
      }
      slot++;
      if (now < this.pausedUntil) {
        this.tally.recordHeldBack('retry-after');
        continue;
      }
      if (this.tally.inFlight >= concurrency) {
        this.tally.recordHeldBack('concurrency');
        continue;
      }
      const request = this.nextBid();
      this.tally.recordSent();
      const answered = postBid(this.url, JSON.stringify(request), this.agent, this.plan.requestTimeoutMs).then(
        (answer) => {
          if (!policySeen && answer.rateLimitPolicy !== undefined) {
            policySeen = true;
            this.onRateLimitPolicy(answer.rateLimitPolicy);
          }
          const outcome = this.abandoned
            ? ({ kind: 'error', reason: 'abandoned at stop' } as const)
            : bidAnswerOutcome(answer);
          const retryAfter = outcome.kind === 'refused' ? outcome.retryAfterSeconds : undefined;
          if (retryAfter !== undefined) {
            this.pausedUntil = Math.max(this.pausedUntil, answer.answeredAt + retryAfter * 1000);
          }
          this.tally.recordOutcome(outcome, this.abandoned ? undefined : answer.answeredAt - dueAt);
          this.onOutcome(request, outcome, retryAfter !== undefined);
        },
      );
      this.answers.add(answered);
      void answered.finally(() => this.answers.delete(answered));
    }
    this.sendingEndedAt = performance.now();
    await Promise.all(this.answers);
    this.agent.destroy();
  }

  private get url(): URL {
    return new URL('/api/bids', this.plan.url);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  /** Stops sending; the bids in flight are still waited for (see `abandon`). */
  stop(): void {
    this.stopping = true;
    this.wakeUp?.();
  }

  /** Stops waiting: bids still in flight are dropped and counted as errors (`abandoned at stop`). */
  abandon(): void {
    this.stop();
    this.abandoned = true;
    this.agent.destroy();
  }
}
