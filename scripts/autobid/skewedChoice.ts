import type { Random } from './seededRandom';

/**
 * Picks one of `count` things (0 … count − 1) with Zipf-like popularity: the
 * one of rank k is chosen in proportion to 1 / (k + 1)^skew, so with the
 * default skew of about 1 a few lots draw most bids and a long tail draws a
 * few each, as in a real auction; skew 0 is uniform. Bidders are chosen the
 * same way, so some come back again and again.
 */
export class SkewedChoice {
  /** cumulative[k]: the weight of ranks 0 … k, the last one being 1. */
  private readonly cumulative: Float64Array;

  constructor(
    readonly count: number,
    readonly skew: number,
  ) {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a whole number ≥ 1, got ${count}`);
    if (!(skew >= 0)) throw new RangeError(`skew must be ≥ 0, got ${skew}`);
    this.cumulative = new Float64Array(count);
    let total = 0;
    for (let rank = 0; rank < count; rank++) {
      total += 1 / (rank + 1) ** skew;
      this.cumulative[rank] = total;
    }
    for (let rank = 0; rank < count; rank++) this.cumulative[rank]! /= total;
  }

  /** The share of all picks rank `rank` should get. */
  share(rank: number): number {
    return this.cumulative[rank]! - (rank === 0 ? 0 : this.cumulative[rank - 1]!);
  }

  /** The rank whose slice of [0, 1) holds `random()`'s number. */
  pick(random: Random): number {
    const u = random();
    let low = 0;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.cumulative[middle]! > u) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
