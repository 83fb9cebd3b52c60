/** p50, p99 and the worst of a set of latencies, in milliseconds; `null` when nothing was measured. */
export interface LatencySummary {
  /** Latencies measured. */
  count: number;
  /** Events that never came within the wait: counted as slower than any measured one. */
  missing: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

/**
 * Latencies of one kind (acceptance, visible in MySQL, received over SSE),
 * kept whole so percentiles are exact rather than bucketed. Something that
 * never arrived is not left out (that would flatter the figure): it ranks
 * after every measured latency, so when more than 1 % never arrive p99 is
 * Infinity, shown as "more than the wait".
 */
export class Latencies {
  private readonly values: number[] = [];
  private missingCount = 0;

  record(milliseconds: number): void {
    if (!Number.isFinite(milliseconds)) throw new Error(`a latency must be a finite number, got ${milliseconds}`);
    this.values.push(milliseconds);
  }

  recordMissing(count = 1): void {
    this.missingCount += count;
  }

  get count(): number {
    return this.values.length;
  }

  summary(): LatencySummary {
    const sorted = [...this.values].sort((a, b) => a - b);
    const total = sorted.length + this.missingCount;
    const at = (fraction: number): number | null => {
      if (total === 0) return null;
      // Nearest rank: the smallest value with at least `fraction` of all values at or below it.
      const rank = Math.max(1, Math.ceil(fraction * total));
      return rank <= sorted.length ? sorted[rank - 1]! : Infinity;
    };
    return {
      count: sorted.length,
      missing: this.missingCount,
      p50: at(0.5),
      p99: at(0.99),
      max: total === 0 ? null : this.missingCount > 0 ? Infinity : sorted[sorted.length - 1]!,
    };
  }
}
