/** How often librdkafka is polled while at least one record awaits its delivery report: Node's finest timer. */
export const IN_FLIGHT_POLL_INTERVAL_MS = 1;

/**
 * Serves librdkafka's delivery reports as soon as it has them, without a
 * timer running while nothing is in flight.
 *
 * node-rdkafka 3.x has no background thread for a producer's events: a
 * delivery report reaches JavaScript only when `poll()` (rd_kafka_poll with
 * a zero timeout: it never blocks) is called. A fixed interval makes every
 * acknowledged record wait for its next tick, so it is a floor under every
 * bid's latency and a ceiling on throughput (connections ÷ interval).
 * Instead, each record handed over triggers a poll at once (serving the
 * reports of earlier records, which is what keeps a busy producer's answers
 * prompt), and a 1 ms interval runs only while some record awaits its
 * report; the last report stops it.
 */
export class DeliveryReportPolling {
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `poll` serves librdkafka's queue; it throws only once the producer is
   * disconnected, and then polling stops and `pollFailed` hears why.
   */
  constructor(
    private readonly poll: () => void,
    private readonly pollFailed: (error: unknown) => void,
  ) {}

  /** Records handed to librdkafka whose delivery report has not come yet. */
  get recordsInFlight(): number {
    return this.inFlight;
  }

  /** Whether the in-flight interval is running. */
  get isPolling(): boolean {
    return this.timer !== undefined;
  }

  /** Call right after `produce` took a record. */
  recordQueued(): void {
    this.inFlight++;
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.pollOnce(), IN_FLIGHT_POLL_INTERVAL_MS);
      // Polling never keeps a process alive by itself: whoever awaits a report does.
      this.timer.unref();
    }
    this.pollOnce();
  }

  /** Call for each delivery report of a record counted by `recordQueued`. */
  recordSettled(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) this.stop();
  }

  /** Stops the interval (on disconnect); records still in flight are then served by a flush, or never. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private pollOnce(): void {
    try {
      this.poll();
    } catch (error) {
      this.stop();
      this.pollFailed(error);
    }
  }
}
