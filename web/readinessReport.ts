import type { Logger } from '../lib/logger';
import { checkReadiness, type Readiness, type ReadinessProbes } from './readiness';
import { SharedRead } from './sharedRead';

/** One part's state as /readyz shows it: nothing more, since anyone may ask. */
export type PartState = 'ready' | 'not ready';

/** The answer of /readyz: no driver errors, hosts or users (they go to the log). */
export interface ReadinessAnswer {
  /** Bids can be taken: every required part is ready. */
  ready: boolean;
  /** Optional parts that are not ready: bids are taken, but some reads are unavailable. */
  degraded: string[];
  checks: Record<string, PartState>;
}

/** How long one part may take to answer before it counts as not ready. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * Answers /readyz: runs the probes (requests arriving while a round is in
 * flight share it, so a burst of probes costs one round) and says only
 * "ready" or "not ready" per part. Why a part is not ready goes to the log:
 * one line when it stops being ready (again if the cause changes), one when
 * it is ready again.
 */
export class ReadinessReport {
  private readonly round: SharedRead<ReadinessAnswer>;
  /** The cause last logged for each part that is not ready. */
  private readonly causes = new Map<string, string>();

  constructor(
    private readonly probes: ReadinessProbes,
    private readonly log: Logger,
    private readonly timeoutMs = READINESS_TIMEOUT_MS,
  ) {
    this.round = new SharedRead(() => this.check());
  }

  answer(): Promise<ReadinessAnswer> {
    return this.round.get();
  }

  private async check(): Promise<ReadinessAnswer> {
    const readiness = await checkReadiness(this.probes, this.timeoutMs);
    this.logChanges(readiness);
    const checks: Record<string, PartState> = {};
    for (const [part, check] of Object.entries(readiness.checks)) checks[part] = check.ok ? 'ready' : 'not ready';
    return { ready: readiness.ready, degraded: readiness.degraded, checks };
  }

  private logChanges(readiness: Readiness): void {
    for (const [part, check] of Object.entries(readiness.checks)) {
      const logged = this.causes.get(part);
      if (!check.ok) {
        const cause = check.error ?? 'no reason given';
        if (cause === logged) continue;
        this.causes.set(part, cause);
        const effect =
          part in this.probes.required ? 'needed to take bids' : 'needed for the figures; bids are still taken';
        this.log.warn({ part, err: cause }, `readiness: ${part} is not ready (${effect}): ${cause}`);
      } else if (logged !== undefined) {
        this.causes.delete(part);
        this.log.info({ part }, `readiness: ${part} is ready again`);
      }
    }
  }
}
