/**
 * Whether a bid arrives after its window closed. A partition's stream time is
 * the latest bid time read from it before this bid (undefined before the
 * first); the window closed once that stream time reached its end plus the
 * allowed lateness. The decision depends only on what came before on the
 * same partition, in offset order, so it is the same on every replay and
 * after every restart (the stream time is stored with the position).
 */
export function isLateBid(streamTimeMs: number | undefined, windowEndMs: number, allowedLatenessMs: number): boolean {
  return streamTimeMs !== undefined && streamTimeMs >= windowEndMs + allowedLatenessMs;
}
