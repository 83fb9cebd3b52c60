/**
 * Whether this worker can still take the group's word that its partitions
 * are its own.
 *
 * librdkafka heartbeats from a thread of its own, so a slow store or a busy
 * event loop does not cost the assignment. A stopped process does: after a
 * SIGSTOP (or a VM pause) longer than the session timeout the coordinator
 * has handed the partitions to another member, but the process, once
 * resumed, learns so only from its next heartbeat, a few seconds later, and
 * in between it would go on writing the batch it had in hand: a second
 * writer of the same partition. So any stall longer than half the session
 * timeout makes the assignment suspect, and it stays suspect until the
 * consumer has been polled for long enough to hear the group's answer (two
 * heartbeat intervals and a margin): a revoke, or nothing, which confirms it.
 *
 * The clock is read on every question, not only by the ticker, so the first
 * callback that runs after a resume already sees the gap.
 */
export class MembershipWatch {
  private lastTickAt: number;
  private suspectSince: number | undefined;
  private suspicion: string | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private readonly sessionTimeoutMs: number,
    private readonly confirmAfterMs: number,
    private readonly now: () => number = Date.now,
    private readonly tickMs = 250,
  ) {
    this.lastTickAt = now();
  }

  /** The longest gap between two ticks that cannot have cost the assignment. */
  get stallThresholdMs(): number {
    return Math.floor(this.sessionTimeoutMs / 2);
  }

  start(): void {
    this.lastTickAt = this.now();
    this.ticker = setInterval(() => this.tick(), this.tickMs);
    this.ticker.unref();
  }

  stop(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** Notes the time; a gap since the last tick longer than the threshold makes the assignment suspect. */
  tick(): void {
    const now = this.now();
    const gap = now - this.lastTickAt;
    if (gap > this.stallThresholdMs) {
      this.suspectSince = now;
      this.suspicion = `the process was stalled for ${gap} ms (session timeout ${this.sessionTimeoutMs} ms)`;
    }
    this.lastTickAt = now;
  }

  /** A rebalance was answered: the assignment is whatever the group just said, suspect no longer. */
  settled(): void {
    this.suspectSince = undefined;
    this.suspicion = undefined;
  }

  /** Why the assignment is suspect right now, or undefined when it can be trusted. */
  doubt(): string | undefined {
    this.tick();
    if (this.suspectSince === undefined) return undefined;
    if (this.now() - this.suspectSince >= this.confirmAfterMs) {
      this.settled();
      return undefined;
    }
    return this.suspicion;
  }
}
