import type { Request, Response } from 'express';
import type { Bid } from '../lib/bid/bid';

const COOKIE = 'bid_placed';

/** What the page confirms after a bid was placed (POST, redirect, GET). */
export type PlacedConfirmation = Pick<Bid, 'bid_id' | 'item' | 'price'>;

/**
 * Remembers the placed bid for the next page view only, in a signed,
 * short-lived cookie: the confirmation cannot be forged with a crafted link.
 */
export function rememberPlacedBid(req: Request, res: Response, bid: Bid): void {
  const confirmation: PlacedConfirmation = { bid_id: bid.bid_id, item: bid.item, price: bid.price };
  res.cookie(COOKIE, JSON.stringify(confirmation), {
    httpOnly: true,
    sameSite: 'strict',
    signed: true,
    secure: req.secure,
    maxAge: 60_000,
    path: '/',
  });
}

/** The confirmation to show on this page view, if any; it is shown once. */
export function takePlacedBid(req: Request, res: Response): PlacedConfirmation | undefined {
  const raw: unknown = (req.signedCookies as Record<string, unknown> | undefined)?.[COOKIE];
  if (typeof raw !== 'string') return undefined;
  res.clearCookie(COOKIE, { path: '/' });
  try {
    const parsed = JSON.parse(raw) as Partial<PlacedConfirmation>;
    if (typeof parsed.bid_id !== 'string' || typeof parsed.item !== 'string' || typeof parsed.price !== 'number') {
      return undefined;
    }
    return { bid_id: parsed.bid_id, item: parsed.item, price: parsed.price };
  } catch {
    return undefined;
  }
}
