import { refusedCharacterIn } from './refusedCharacter';

/** Why a bid's item or name was refused: the rule it broke and a sentence that follows the field's name. */
export interface BidTextProblem {
  rule: 'unicode' | 'letterOrDigit' | 'minLength';
  message: string;
}

export type BidTextCheck = { ok: true; text: string } | { ok: false; problem: BidTextProblem };

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * An item or name as it is kept and compared: Unicode NFKC (compatibility
 * forms such as full-width `Ｏａｋ`, ligatures such as `ﬁ` and composed and
 * decomposed accents become one spelling), every run of white space one
 * space, none at either end. Case is kept: `oak dresser` and `Oak dresser`
 * are two lots. The bid page, the API and every lookup of an item go through
 * this, so a lot is found however it was typed.
 */
export function normaliseBidText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\p{White_Space}+/gu, ' ')
    .trim();
}

/**
 * A bidder's item or name checked and normalised: it may hold no character
 * `refusedCharacterIn` names (looked for before normalising, which would turn
 * some of them into spaces), and, normalised, must not be empty and must
 * hold at least one letter or digit. Its length is for the schema to check.
 */
export function checkBidText(text: string): BidTextCheck {
  const refused = refusedCharacterIn(text);
  if (refused !== undefined) return { ok: false, problem: { rule: 'unicode', message: `contains ${refused}` } };
  const normalised = normaliseBidText(text);
  if (normalised === '') return { ok: false, problem: { rule: 'minLength', message: 'must not be empty' } };
  if (!LETTER_OR_DIGIT.test(normalised)) {
    return { ok: false, problem: { rule: 'letterOrDigit', message: 'must contain at least one letter or digit' } };
  }
  return { ok: true, text: normalised };
}
