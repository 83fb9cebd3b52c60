import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWellFormedText } from '../../lib/bid/wellFormedText';
import { bidFromRequest } from '../../web/bidRequest';
import { SHOWN_INPUT_CHARACTERS } from '../../web/shownInput';

describe('well-formed text', () => {
  it('accepts text made only of whole code points, astral characters included', () => {
    for (const text of ['Ada', '', 'Zoë', '東京', 'Vase 🏺', '\u{1F600}\u{10FFFF}']) {
      assert.equal(isWellFormedText(text), true, JSON.stringify(text));
    }
  });

  it('refuses a lone high or low surrogate, wherever it sits', () => {
    for (const text of ['\ud800', '\udfff', 'Ada\ud83d', '\ude00Ada', 'a\ud800b', '\udc00\ud800']) {
      assert.equal(isWellFormedText(text), false, JSON.stringify(text));
    }
  });
});

describe('a bid request', () => {
  for (const field of ['item', 'name'] as const) {
    it(`refuses a lone surrogate in ${field} with rule "unicode", naming it`, () => {
      const body = { item: 'Blue vase', name: 'Ada', price: 120, [field]: 'Ada \ud800' };
      const checked = bidFromRequest(body);
      assert.equal(checked.valid, false);
      assert.deepEqual(!checked.valid && checked.errors, [
        { field, rule: 'unicode', message: 'contains a lone surrogate (U+D800), which is not valid Unicode text' },
      ]);
    });

    it(`refuses a zero-width space or a bidi override in ${field}, naming the character`, () => {
      for (const [text, described] of [
        ['Blue\u200Bvase', 'an invisible formatting character (U+200B)'],
        ['Blue \u202Evase', 'an invisible formatting character (U+202E)'],
      ] as const) {
        const checked = bidFromRequest({ item: 'Blue vase', name: 'Ada', price: 120, [field]: text });
        assert.deepEqual(!checked.valid && checked.errors, [
          { field, rule: 'unicode', message: `contains ${described}` },
        ]);
      }
    });

    it(`refuses ${field} without a letter or digit`, () => {
      const checked = bidFromRequest({ item: 'Blue vase', name: 'Ada', price: 120, [field]: '—' });
      assert.deepEqual(!checked.valid && checked.errors, [
        { field, rule: 'letterOrDigit', message: 'must contain at least one letter or digit' },
      ]);
    });
  }

  it('carries item and name normalised (NFKC, one space between words, trimmed), so lots that look alike are one', () => {
    const checked = bidFromRequest({ item: ' Ｂｌｕｅ\u00A0 vase ', name: 'Ada\u3000Lovelace', price: 120 });
    assert.equal(checked.valid, true);
    assert.equal(checked.valid && checked.bid.item, 'Blue vase');
    assert.equal(checked.valid && checked.bid.name, 'Ada Lovelace');
  });

  it('lists the bid’s own field errors before unknown keys, and names an unknown key by its first characters only', () => {
    const longKey = 'k'.repeat(10_000);
    const checked = bidFromRequest({ item: 'Blue vase', name: 'Ada', price: 0, [longKey]: 1 });
    assert.equal(checked.valid, false);
    const errors = checked.valid ? [] : checked.errors;
    assert.deepEqual(
      errors.map((e) => e.field),
      ['price', `${'k'.repeat(SHOWN_INPUT_CHARACTERS)}…`],
    );
  });

  it('keeps an emoji, which is two UTF-16 units but one character', () => {
    const checked = bidFromRequest({ item: 'Vase 🏺', name: 'Ada', price: 120 });
    assert.equal(checked.valid, true);
  });
});
