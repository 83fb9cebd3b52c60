import type { AutobidTally } from './autobidTally';

const BAR_WIDTH = 20;

/** `[########------------]  40%`: how far through its duration or bid count a run is; '' for a run until Ctrl-C. */
export function progressBar(done: number | undefined): string {
  if (done === undefined) return '';
  const fraction = Math.min(1, Math.max(0, done));
  const filled = Math.round(fraction * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% `;
}

/**
 * The live line: the bar, the rate bids are sent at now, what was accepted
 * and refused so far (the most common refusal named), and what holds bids
 * back, so a run that cannot keep its rate says so while it runs.
 */
export function progressText(
  tally: AutobidTally,
  live: { done: number | undefined; ratePerSecond: number; concurrency: number; pausedForRetryAfter: boolean },
): string {
  const [topReason] = Object.entries(tally.refusedByReason).sort(([, a], [, b]) => b - a);
  const parts = [
    `${progressBar(live.done)}${live.ratePerSecond.toFixed(1)} bids/s`,
    `accepted ${tally.accepted}`,
    `refused ${tally.refused}${topReason === undefined ? '' : ` (${topReason[0]} ${topReason[1]})`}`,
    `errors ${tally.errors}`,
    `in flight ${tally.inFlight}`,
  ];
  if (tally.notSent.concurrency > 0) {
    parts.push(`not sent at --concurrency ${live.concurrency}: ${tally.notSent.concurrency}`);
  }
  if (tally.notSent['retry-after'] > 0 || live.pausedForRetryAfter) {
    parts.push(
      `${live.pausedForRetryAfter ? 'waiting out Retry-After' : 'held for Retry-After'}: ${tally.notSent['retry-after']}`,
    );
  }
  return parts.join(', ');
}
