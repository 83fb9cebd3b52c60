/**
 * The targets the benchmark prints beside its figures (issue 12, for the
 * 2-core machine). They are reported, never asserted: a slower machine or a
 * busy one misses them without anything being broken.
 */
export const TARGETS = {
  /** Ingest at least this share of the bare Express + ajv endpoint's rate, same run. */
  ingestShareOfBare: 0.6,
  /** At 1,000 bids/s offered: */
  acceptanceP99Ms: 10,
  mysqlVisibleP99Ms: 100,
  sseP99Ms: 150,
  /** Each sink's drain at least this share of the lower of its two ceilings. */
  drainShareOfCeiling: 0.8,
  /** With 1,000 SSE clients connected. MB = 10^6 bytes. */
  webRssBytes: 200e6,
  /** Each worker while idle, % of one core; strictly below. */
  idleCpuPercent: 2,
} as const;

export type Verdict = 'met' | 'not met' | 'n/a';

/** Whether `value` is at least `target` (`atLeast`), at most it (`atMost`) or strictly below it (`below`); n/a when not measured. */
export function verdict(
  value: number | null | undefined,
  comparison: 'atLeast' | 'atMost' | 'below',
  target: number,
): Verdict {
  if (value === null || value === undefined || Number.isNaN(value)) return 'n/a';
  switch (comparison) {
    case 'atLeast':
      return value >= target ? 'met' : 'not met';
    case 'atMost':
      return value <= target ? 'met' : 'not met';
    case 'below':
      return value < target ? 'met' : 'not met';
  }
}
