import type { FieldError } from '../lib/bid/validateBid';

/** The most errors a refusal lists; the rest are counted. */
export const ERRORS_SHOWN = 5;

/** The 422 answer of the API: what was wrong, for people and for programs. */
export interface BidRefusal {
  error: string;
  /** The first `ERRORS_SHOWN` errors. */
  errors: FieldError[];
  /** How many more errors there were. */
  errors_omitted: number;
}

/**
 * The answer to a refused bid: at most `ERRORS_SHOWN` errors, listed and in
 * one sentence, and how many more there were, so a body with thousands of
 * unknown keys gets an answer of bounded size.
 */
export function bidRefusal(errors: readonly FieldError[]): BidRefusal {
  const shown = errors.slice(0, ERRORS_SHOWN);
  const omitted = errors.length - shown.length;
  const listed = shown.map((e) => `${e.field} ${e.message}`).join('; ');
  const more = omitted === 0 ? '' : `; and ${omitted} more ${omitted === 1 ? 'problem' : 'problems'}`;
  return { error: `The bid was refused: ${listed}${more}.`, errors: shown, errors_omitted: omitted };
}
