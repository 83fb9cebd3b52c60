import { errorMessage } from '../lib/errorMessage';

/** One dependency's health as /readyz reports it. */
export interface DependencyCheck {
  ok: boolean;
  /** Why it is not ok; never a secret. */
  error?: string;
}

export type Probe = () => Promise<void>;

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

/** Runs every probe at once, each bounded by `timeoutMs`; ready when all answer. */
export async function checkReadiness(
  probes: Readonly<Record<string, Probe>>,
  timeoutMs: number,
): Promise<{ ready: boolean; checks: Record<string, DependencyCheck> }> {
  const names = Object.keys(probes);
  const results = await Promise.allSettled(names.map((name) => withTimeout(probes[name]!, timeoutMs)));
  const checks: Record<string, DependencyCheck> = {};
  results.forEach((result, i) => {
    checks[names[i]!] =
      result.status === 'fulfilled' ? { ok: true } : { ok: false, error: errorMessage(result.reason) };
  });
  return { ready: results.every((result) => result.status === 'fulfilled'), checks };
}
