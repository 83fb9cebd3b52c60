import type { Random } from './seededRandom';

/** The schema's highest price (schemas/bid.schema.json). */
export const MAX_PRICE = 1_000_000_000;

/** The step between bids at a price, as auction houses publish them: a few percent of the price, in round figures. */
export function bidIncrement(price: number): number {
  if (price < 50) return 1;
  if (price < 200) return 5;
  if (price < 1_000) return 10;
  if (price < 5_000) return 50;
  if (price < 20_000) return 100;
  if (price < 100_000) return 500;
  return 1_000;
}

/**
 * Each lot's price as bidding climbs: the first bid offers the opening price;
 * every later one beats the highest price the web app accepted for that lot
 * by one to three increments (bidders sometimes jump). Only accepted bids
 * move the ladder, so a refused bid is offered again at a fair price.
 */
export class PriceLadder {
  private readonly highest = new Map<string, number>();

  /** The price of the next bid on `item`, opening at `startPrice`. */
  nextPrice(item: string, startPrice: number, random: Random): number {
    const highest = this.highest.get(item);
    if (highest === undefined) return startPrice;
    const steps = 1 + Math.floor(random() * 3);
    return Math.min(MAX_PRICE, highest + steps * bidIncrement(highest));
  }

  /** A bid the web app accepted (201). */
  accepted(item: string, price: number): void {
    this.highest.set(item, Math.max(price, this.highest.get(item) ?? 0));
  }

  highestAccepted(item: string): number | undefined {
    return this.highest.get(item);
  }
}
