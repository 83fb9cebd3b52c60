/**
 * One read shared by every caller that asks while it is in flight: a burst
 * of page views costs one query, and each answer is at most one query's
 * duration old (nothing is kept once the read has settled, so there is no
 * staleness to tune).
 */
export class SharedRead<T> {
  private inFlight: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }
}
