import { Latencies, type LatencySummary } from '../../lib/traffic/latencies';
import type { AcceptedBid, BidOutcome } from './bidAnswerOutcome';

/** Why a bid due on the schedule was not sent. */
export type HeldBack = 'concurrency' | 'retry-after';

/** What a run did, as printed at the end (`--json` prints this object). */
export interface AutobidSummary {
  url: string;
  seed: number;
  /** The rate asked for (`--rate`). */
  offeredRate: number;
  elapsedSeconds: number;
  /** Bids posted; every one is accepted, refused or an error: sent = accepted + refused + errors. */
  sent: number;
  accepted: number;
  refused: number;
  refusedByReason: Record<string, number>;
  errors: number;
  errorsByReason: Record<string, number>;
  /** Bids due on the schedule but not sent: too many awaited an answer (`--concurrency`), or a Retry-After was running. */
  notSent: Record<HeldBack, number>;
  /** From each bid's scheduled time to its answer, over every answer (accepted or refused), in milliseconds. */
  latencyMs: Pick<LatencySummary, 'p50' | 'p99' | 'max'>;
  /** Bids sent a second over the run. */
  achievedRate: number;
  acceptedRate: number;
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM before its end. */
  interrupted: boolean;
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Counts a run as its answers come: the figures of the progress line and of the summary. */
export class AutobidTally {
  sent = 0;
  accepted = 0;
  refused = 0;
  errors = 0;
  readonly refusedByReason: Record<string, number> = {};
  readonly errorsByReason: Record<string, number> = {};
  readonly notSent: Record<HeldBack, number> = { concurrency: 0, 'retry-after': 0 };
  readonly acceptedBids: AcceptedBid[] = [];
  private readonly latencies = new Latencies();

  get inFlight(): number {
    return this.sent - this.accepted - this.refused - this.errors;
  }

  recordSent(): void {
    this.sent++;
  }

  recordHeldBack(why: HeldBack): void {
    this.notSent[why]++;
  }

  /** One answer, `latencyMs` after the bid's scheduled time; `undefined` latency: no answer was had. */
  recordOutcome(outcome: BidOutcome, latencyMs: number | undefined): void {
    if (latencyMs !== undefined && outcome.kind !== 'error') this.latencies.record(latencyMs);
    switch (outcome.kind) {
      case 'accepted':
        this.accepted++;
        this.acceptedBids.push(outcome.bid);
        return;
      case 'refused':
        this.refused++;
        increment(this.refusedByReason, outcome.reason);
        return;
      case 'error':
        this.errors++;
        increment(this.errorsByReason, outcome.reason);
        return;
    }
  }

  summary(run: {
    url: string;
    seed: number;
    offeredRate: number;
    elapsedSeconds: number;
    interrupted: boolean;
  }): AutobidSummary {
    const { p50, p99, max } = this.latencies.summary();
    const perSecond = (count: number): number => (run.elapsedSeconds > 0 ? count / run.elapsedSeconds : 0);
    return {
      ...run,
      sent: this.sent,
      accepted: this.accepted,
      refused: this.refused,
      refusedByReason: { ...this.refusedByReason },
      errors: this.errors,
      errorsByReason: { ...this.errorsByReason },
      notSent: { ...this.notSent },
      latencyMs: { p50, p99, max },
      achievedRate: perSecond(this.sent),
      acceptedRate: perSecond(this.accepted),
    };
  }
}

function milliseconds(value: number | null): string {
  return value === null ? 'n/a' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

function byReason(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return entries.length === 0 ? '' : ` (${entries.map(([reason, count]) => `${reason}: ${count}`).join(', ')})`;
}

/** The summary for people: a few aligned lines. */
export function summaryText(summary: AutobidSummary): string {
  const { notSent } = summary;
  const heldBack = notSent.concurrency + notSent['retry-after'];
  const lines = [
    `autobid ${summary.interrupted ? 'interrupted' : 'finished'}: ${summary.url}, seed ${summary.seed}, ` +
      `${summary.elapsedSeconds.toFixed(1)} s`,
    `  sent       ${summary.sent} (${summary.achievedRate.toFixed(1)} bids/s of ${summary.offeredRate} asked)`,
    `  accepted   ${summary.accepted} (${summary.acceptedRate.toFixed(1)} bids/s)`,
    `  refused    ${summary.refused}${byReason(summary.refusedByReason)}`,
    `  errors     ${summary.errors}${byReason(summary.errorsByReason)}`,
    `  latency    p50 ${milliseconds(summary.latencyMs.p50)}, p99 ${milliseconds(summary.latencyMs.p99)}, ` +
      `max ${milliseconds(summary.latencyMs.max)}`,
  ];
  if (heldBack > 0) {
    lines.push(
      `  not sent   ${heldBack} (--concurrency reached: ${notSent.concurrency}, ` +
        `waiting out Retry-After: ${notSent['retry-after']})`,
    );
  }
  return `${lines.join('\n')}\n`;
}
