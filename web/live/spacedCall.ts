import { performance } from 'node:perf_hooks';

/**
 * An action run at most once per gap: at once when the gap since its last
 * run ended has passed, else when it has. One timer at most; a request
 * while it is set is covered by the run it will make.
 */
export class SpacedCall {
  private lastEndedAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  /** How long the last run took, in milliseconds. */
  lastDurationMs = 0;

  /** `gapMs` is asked at each request, so the gap may follow what the runs cost. */
  constructor(
    private readonly action: () => void,
    private readonly gapMs: () => number,
  ) {}

  request(): void {
    if (this.timer !== undefined) return;
    const wait = this.lastEndedAt + this.gapMs() - performance.now();
    if (wait <= 0) {
      this.run();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, wait);
  }

  /** Runs now if a run is waiting for its time; does nothing otherwise. */
  runIfWaiting(): void {
    if (this.timer === undefined) return;
    this.cancel();
    this.run();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private run(): void {
    const started = performance.now();
    this.action();
    this.lastEndedAt = performance.now();
    this.lastDurationMs = this.lastEndedAt - started;
  }
}
