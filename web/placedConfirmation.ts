import type { Request, Response } from 'express';
import type { Bid } from '../lib/bid/bid';
import { clearPageCookie, readPageCookie, setPageCookie } from './pageCookies';

/**
 * What the page confirms after a bid was placed (POST, redirect, GET): the
 * whole bid, so the page can show it among the figures before the MySQL
 * worker has stored it.
 */
export type PlacedConfirmation = Bid;

/**
 * Remembers the placed bid for the next page view only, in a signed,
 * short-lived cookie: the confirmation cannot be forged with a crafted link.
 */
export function rememberPlacedBid(req: Request, res: Response, bid: Bid): void {
  const confirmation: PlacedConfirmation = {
    bid_id: bid.bid_id,
    item: bid.item,
    name: bid.name,
    price: bid.price,
    bid_ts: bid.bid_ts,
  };
  setPageCookie(req, res, 'bid_placed', JSON.stringify(confirmation), 60_000);
}

/** The confirmation to show on this page view, if any; it is shown once. */
export function takePlacedBid(req: Request, res: Response): PlacedConfirmation | undefined {
  const raw = readPageCookie(req, 'bid_placed');
  if (raw === undefined) return undefined;
  clearPageCookie(req, res, 'bid_placed');
  try {
    const parsed = JSON.parse(raw) as Partial<PlacedConfirmation>;
    const { bid_id, item, name, price, bid_ts } = parsed;
    if (
      typeof bid_id !== 'string' ||
      typeof item !== 'string' ||
      typeof name !== 'string' ||
      typeof price !== 'number' ||
      typeof bid_ts !== 'string'
    ) {
      return undefined;
    }
    return { bid_id, item, name, price, bid_ts };
  } catch {
    return undefined;
  }
}
