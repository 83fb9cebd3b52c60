import { MAX_TEXT_LENGTH } from '../lib/bid/bid';
import { normaliseBidText } from '../lib/bid/bidText';

/** A lot asked for by a client (`/api/items/{item}/…`, `?item=`), as bids on it carry it, or why it cannot be one. */
export type LotQuery = { ok: true; item: string } | { ok: false; error: string };

/**
 * The lot a client asks about, normalised as an accepted bid's item is
 * (`normaliseBidText`), so `Ｏａｋ  dresser` finds the bids on `Oak dresser`.
 * What no bid's item can be (empty, or longer than an item may be) is
 * refused rather than looked up, and never repeated back.
 */
export function lotQuery(raw: unknown): LotQuery {
  const item = typeof raw === 'string' ? normaliseBidText(raw) : '';
  if (item === '' || [...item].length > MAX_TEXT_LENGTH) {
    return { ok: false, error: `item must be one lot name of 1 to ${MAX_TEXT_LENGTH} characters` };
  }
  return { ok: true, item };
}
