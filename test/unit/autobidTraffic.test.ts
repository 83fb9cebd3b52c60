import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bidderNames } from '../../scripts/autobid/bidderNames';
import { lotCatalogue } from '../../scripts/autobid/lotCatalogue';
import { bidIncrement, MAX_PRICE, PriceLadder } from '../../scripts/autobid/priceLadder';
import { seededRandom } from '../../scripts/autobid/seededRandom';
import { SkewedChoice } from '../../scripts/autobid/skewedChoice';

describe('auto-bid traffic: lots, bidders and prices', () => {
  it('the same seed gives the same sequence, another seed another one', () => {
    const draw = (seed: number): number[] => {
      const random = seededRandom(seed);
      return Array.from({ length: 5 }, () => random());
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
    for (const value of draw(123)) assert.ok(value >= 0 && value < 1);
  });

  it('a few hot lots draw most bids and every lot of the long tail draws some', () => {
    const choice = new SkewedChoice(100, 1.1);
    const random = seededRandom(1);
    const counts = new Array<number>(100).fill(0);
    const picks = 200_000;
    for (let index = 0; index < picks; index++) counts[choice.pick(random)]!++;
    const topFive = counts.slice(0, 5).reduce((a, b) => a + b, 0);
    assert.ok(topFive > picks * 0.4, `the 5 hottest of 100 lots drew ${topFive} of ${picks}`);
    assert.ok(
      counts.every((count) => count > 0),
      'every lot drew at least one bid',
    );
    // Each rank within a few percent of its Zipf share.
    for (const rank of [0, 1, 9, 99]) {
      const expected = choice.share(rank) * picks;
      assert.ok(
        Math.abs(counts[rank]! - expected) < expected * 0.1 + 30,
        `rank ${rank}: ${counts[rank]} vs ${expected}`,
      );
    }
    assert.ok(counts[0]! > counts[9]! && counts[9]! > counts[99]!);
  });

  it('skew 0 spreads picks evenly, and one thing is always picked', () => {
    const even = new SkewedChoice(4, 0);
    for (let rank = 0; rank < 4; rank++) assert.ok(Math.abs(even.share(rank) - 0.25) < 1e-12);
    const single = new SkewedChoice(1, 2);
    const random = seededRandom(3);
    for (let index = 0; index < 100; index++) assert.equal(single.pick(random), 0);
  });

  it('lots have distinct names and opening prices from 10 to 5,000 on the increment at that price', () => {
    const lots = lotCatalogue(1_000, seededRandom(5));
    assert.equal(new Set(lots.map((lot) => lot.item)).size, 1_000);
    assert.match(lots[0]!.item, /^Lot 0001: \S/);
    for (const { item, startPrice } of lots) {
      assert.ok(item.length <= 100, item);
      assert.ok(startPrice >= 10 && startPrice <= 5_000, `${item}: ${startPrice}`);
      assert.equal(startPrice % bidIncrement(startPrice), 0, `${item}: ${startPrice}`);
    }
    const again = lotCatalogue(1_000, seededRandom(5));
    assert.deepEqual(again, lots, 'the same seed gives the same lots');
  });

  it('bidders have distinct names, however many there are', () => {
    const names = bidderNames(500);
    assert.equal(new Set(names).size, 500);
    assert.equal(names[0], 'Ada Almeida');
  });

  it('a lot opens at its start price, then each bid beats the highest accepted by one to three increments', () => {
    const ladder = new PriceLadder();
    const random = seededRandom(9);
    assert.equal(ladder.nextPrice('Lot 1', 120, random), 120);
    ladder.accepted('Lot 1', 120);
    let highest = 120;
    for (let round = 0; round < 200; round++) {
      const price = ladder.nextPrice('Lot 1', 120, random);
      const steps = (price - highest) / bidIncrement(highest);
      assert.ok([1, 2, 3].includes(steps), `${price} after ${highest}`);
      ladder.accepted('Lot 1', price);
      highest = price;
    }
    assert.ok(highest > 1_000, 'the increment grows with the price');
    assert.equal(ladder.nextPrice('Lot 2', 40, random), 40, 'other lots are not moved');
  });

  it('only accepted bids move the ladder, an older answer never lowers it, and no price passes the schema maximum', () => {
    const ladder = new PriceLadder();
    ladder.accepted('Lot 1', 500);
    ladder.accepted('Lot 1', 300);
    assert.equal(ladder.highestAccepted('Lot 1'), 500);
    ladder.accepted('Lot 9', MAX_PRICE);
    assert.equal(ladder.nextPrice('Lot 9', 10, seededRandom(1)), MAX_PRICE);
  });
});
