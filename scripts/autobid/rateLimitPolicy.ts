/**
 * The bids a second a client may send under a draft-7 `RateLimit-Policy`
 * header (`120;w=60`, as express-rate-limit sends it with every bid answer);
 * `undefined` when the header says something else.
 */
export function allowedBidsPerSecond(policy: string): number | undefined {
  const match = /^\s*(\d+)\s*;\s*w\s*=\s*(\d+)/.exec(policy);
  if (match === null) return undefined;
  const limit = Number(match[1]);
  const windowSeconds = Number(match[2]);
  return windowSeconds > 0 ? limit / windowSeconds : undefined;
}
