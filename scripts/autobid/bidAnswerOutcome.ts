import type { PostedBidAnswer } from '../../lib/traffic/postBid';

/** A bid as the web app accepted it: what a test looks for in MySQL. */
export interface AcceptedBid {
  bid_id: string;
  item: string;
  name: string;
  price: number;
}

/**
 * What became of one posted bid:
 * - `accepted`: 201, Kafka has it;
 * - `refused`: the web app answered and did not take it, for `reason`
 *   (`rate-limited`, `422 price minimum`, `503 busy`, `415`…); with the
 *   seconds its `Retry-After` asked the client to wait, if any;
 * - `error`: no usable answer (`timed out`, `connection refused`, a 5xx
 *   other than 503, a 201 without a bid).
 */
export type BidOutcome =
  | { kind: 'accepted'; bid: AcceptedBid }
  | { kind: 'refused'; reason: string; retryAfterSeconds: number | undefined }
  | { kind: 'error'; reason: string };

function parsedBody(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `Retry-After` in seconds (delay-seconds or an HTTP date); `undefined` when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

/** The first field error of a 422 (`price minimum`): the refusal's reason, short enough to count by. */
function invalidReason(body: Record<string, unknown> | undefined): string {
  const first: unknown = Array.isArray(body?.errors) ? body.errors[0] : undefined;
  if (typeof first !== 'object' || first === null) return '422';
  const { field, rule } = first as { field?: unknown; rule?: unknown };
  return ['422', field, rule].filter((part) => typeof part === 'string' && part !== '').join(' ');
}

function failureReason(failure: string | undefined): string {
  if (failure === undefined) return 'no answer';
  if (/ECONNREFUSED/.test(failure)) return 'connection refused';
  if (/ECONNRESET|socket hang up/i.test(failure)) return 'connection reset';
  if (/timed out/i.test(failure)) return 'timed out';
  return failure;
}

/** Sorts one answer of `POST /api/bids` (see README "The web app" for what each status means). */
export function bidAnswerOutcome(answer: PostedBidAnswer): BidOutcome {
  const body = answer.status === 0 ? undefined : parsedBody(answer.body);
  const wait = retryAfterSeconds(answer.retryAfter);
  switch (answer.status) {
    case 0:
      return { kind: 'error', reason: failureReason(answer.failure) };
    case 201: {
      const { bid_id, item, name, price } = body ?? {};
      if (typeof bid_id !== 'string' || typeof item !== 'string' || typeof name !== 'string') break;
      if (typeof price !== 'number') break;
      return { kind: 'accepted', bid: { bid_id, item, name, price } };
    }
    case 422:
      return { kind: 'refused', reason: invalidReason(body), retryAfterSeconds: wait };
    case 429:
      return { kind: 'refused', reason: 'rate-limited', retryAfterSeconds: wait };
    case 503: {
      const reason = typeof body?.reason === 'string' ? `503 ${body.reason}` : '503';
      return { kind: 'refused', reason, retryAfterSeconds: wait };
    }
    default:
      if (answer.status >= 400 && answer.status < 500) {
        return { kind: 'refused', reason: String(answer.status), retryAfterSeconds: wait };
      }
      return { kind: 'error', reason: `HTTP ${answer.status}` };
  }
  return { kind: 'error', reason: '201 without the bid in its body' };
}
