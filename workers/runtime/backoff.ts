/** The bounds of a retry delay. */
export interface BackoffBounds {
  minMs: number;
  maxMs: number;
}

/**
 * The delay before retry number `attempt` (1 for the first retry):
 * exponential with full jitter, i.e. uniform in [minMs, min(maxMs, minMs·2^(attempt−1))].
 *
 * Full jitter keeps several workers that lost the same database at the same
 * moment from all knocking again in step when it comes back. `random` is
 * injectable so the bounds can be tested.
 */
export function backoffDelay(attempt: number, bounds: BackoffBounds, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const ceiling = Math.min(bounds.maxMs, bounds.minMs * 2 ** exponent);
  return Math.round(bounds.minMs + random() * (ceiling - bounds.minMs));
}
