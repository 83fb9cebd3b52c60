/** The window sizes the statistics worker keeps, in seconds: a live view and a minute-by-minute one. */
export const WINDOW_SECONDS = [3, 60] as const;
export type WindowSeconds = (typeof WINDOW_SECONDS)[number];

/** One tumbling window: [startMs, endMs) of bid time, UTC milliseconds since the Unix epoch. */
export interface TumblingWindow {
  seconds: WindowSeconds;
  startMs: number;
  endMs: number;
}

/**
 * The window of `seconds` holding the moment `bidTimeMs`. Windows are aligned
 * to the Unix epoch (a 60 s window starts on a UTC minute), so every worker,
 * before and after a restart, cuts time the same way. Bid times are never
 * before 1970 (the bid schema's pattern), so flooring is plain.
 */
export function windowOf(bidTimeMs: number, seconds: WindowSeconds): TumblingWindow {
  const sizeMs = seconds * 1000;
  const startMs = Math.floor(bidTimeMs / sizeMs) * sizeMs;
  return { seconds, startMs, endMs: startMs + sizeMs };
}

/** A bid's `bid_ts` (`2026-11-23T10:15:30.123Z`, as the bid schema requires) in UTC milliseconds. */
export function bidTimeOf(bidTs: string): number {
  const ms = Date.parse(bidTs);
  if (Number.isNaN(ms)) throw new Error(`bid_ts "${bidTs}" is not a date-time`);
  return ms;
}
