import { errorMessage } from '../lib/errorMessage';

/** One dependency's health, as the readiness report logs it (/readyz shows only ready or not). */
export interface DependencyCheck {
  ok: boolean;
  /** Why it is not ok, for the log: may name hosts and users, never a secret. */
  error?: string;
}

export type Probe = () => Promise<void>;

/**
 * What /readyz checks. `required`: what taking a bid needs (Kafka, a healthy
 * producer, the registered bid schema); one failing makes the process not
 * ready. `optional`: what only some reads need (MySQL serves the highest
 * bid); one failing leaves the process ready but `degraded`.
 */
export interface ReadinessProbes {
  required: Readonly<Record<string, Probe>>;
  optional: Readonly<Record<string, Probe>>;
}

export interface Readiness {
  /** Bids can be taken: every required check answered. */
  ready: boolean;
  /** Optional checks that failed: the process takes bids, but some reads are unavailable. */
  degraded: string[];
  checks: Record<string, DependencyCheck>;
}

function withTimeout(probe: Probe, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    probe().then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function runProbes(
  probes: Readonly<Record<string, Probe>>,
  timeoutMs: number,
): Promise<Record<string, DependencyCheck>> {
  const names = Object.keys(probes);
  const results = await Promise.allSettled(names.map((name) => withTimeout(probes[name]!, timeoutMs)));
  const checks: Record<string, DependencyCheck> = {};
  results.forEach((result, i) => {
    checks[names[i]!] =
      result.status === 'fulfilled' ? { ok: true } : { ok: false, error: errorMessage(result.reason) };
  });
  return checks;
}

/** Runs every probe at once, each bounded by `timeoutMs`; ready when every required one answers. */
export async function checkReadiness(probes: ReadinessProbes, timeoutMs: number): Promise<Readiness> {
  const [required, optional] = await Promise.all([
    runProbes(probes.required, timeoutMs),
    runProbes(probes.optional, timeoutMs),
  ]);
  return {
    ready: Object.values(required).every((check) => check.ok),
    degraded: Object.keys(optional).filter((name) => !optional[name]!.ok),
    checks: { ...required, ...optional },
  };
}
