import { bidIncrement } from './priceLadder';
import type { Random } from './seededRandom';

const MATERIALS = [
  'Walnut',
  'Oak',
  'Brass',
  'Silver',
  'Porcelain',
  'Teak',
  'Cast iron',
  'Crystal',
  'Mahogany',
  'Pewter',
];
const OBJECTS = [
  'writing desk',
  'mantel clock',
  'table lamp',
  'tea set',
  'chess set',
  'bookcase',
  'pocket watch',
  'vase',
  'armchair',
  'candlesticks',
  'music box',
  'mirror',
];

/** The lowest and highest opening prices, in whole currency units. */
const START_PRICE_RANGE = { low: 10, high: 5_000 };

/** One lot on sale: its name (the bid's `item`) and the price its bidding opens at. */
export interface Lot {
  item: string;
  startPrice: number;
}

/**
 * The lots of a run, numbered from 1 so every name is distinct (two lots
 * with the same description are still two lots). Opening prices are spread
 * evenly on a log scale, as in a sale mixing trinkets and furniture, and
 * rounded to the bid increment at that price, as an auctioneer would.
 */
export function lotCatalogue(count: number, random: Random): Lot[] {
  const digits = String(count).length;
  const ratio = START_PRICE_RANGE.high / START_PRICE_RANGE.low;
  return Array.from({ length: count }, (_, index) => {
    const material = MATERIALS[Math.floor(random() * MATERIALS.length)]!;
    const object = OBJECTS[Math.floor(random() * OBJECTS.length)]!;
    const raw = START_PRICE_RANGE.low * ratio ** random();
    const step = bidIncrement(raw);
    return {
      item: `Lot ${String(index + 1).padStart(digits, '0')}: ${material} ${object.toLowerCase()}`,
      startPrice: Math.max(step, Math.round(raw / step) * step),
    };
  });
}
