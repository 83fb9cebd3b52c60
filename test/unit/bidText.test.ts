import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkBidText, normaliseBidText } from '../../lib/bid/bidText';
import { refusedCharacterIn } from '../../lib/bid/refusedCharacter';

describe('characters a bid’s text may not hold', () => {
  const refused: [string, string, string][] = [
    ['a zero-width space (Cf)', 'Oak\u200Bdresser', 'an invisible formatting character (U+200B)'],
    ['a right-to-left override (Cf)', 'Oak \u202Edresser', 'an invisible formatting character (U+202E)'],
    ['a byte order mark (Cf)', '\uFEFFOak dresser', 'an invisible formatting character (U+FEFF)'],
    ['a zero-width joiner (Cf)', 'Oak\u200Ddresser', 'an invisible formatting character (U+200D)'],
    ['a visible formatting character (Cf)', 'Oak \u0600', 'a formatting character (U+0600)'],
    ['a lone surrogate (Cs)', 'Oak \ud800', 'a lone surrogate (U+D800), which is not valid Unicode text'],
    ['a private-use character (Co)', 'Oak \uE000', 'a private-use character (U+E000)'],
    ['a supplementary private-use character (Co)', 'Oak \u{F0000}', 'a private-use character (U+F0000)'],
    ['an unassigned code point (Cn)', 'Oak \u0378', 'an unassigned character (U+0378)'],
    ['a noncharacter (Cn)', 'Oak \uFFFF', 'an unassigned character (U+FFFF)'],
    ['a line separator (Zl)', 'Oak\u2028dresser', 'a line separator (U+2028)'],
    ['a paragraph separator (Zp)', 'Oak\u2029dresser', 'a paragraph separator (U+2029)'],
    ['a control character (Cc)', 'Oak\u0007', 'a control character (U+0007)'],
    ['a tab (Cc)', 'Oak\tdresser', 'a control character (U+0009)'],
    ['a C1 control (Cc)', 'Oak\u0085', 'a control character (U+0085)'],
    ['a Hangul filler (a letter drawn as nothing)', 'Oak\u3164', 'an invisible character (U+3164)'],
    ['a variation selector after a letter', 'Oak dresser\uFE0F', 'an invisible character (U+FE0F)'],
    ['a combining grapheme joiner', 'Oa\u034Fk', 'an invisible character (U+034F)'],
  ];
  for (const [what, text, described] of refused) {
    it(`names ${what}`, () => {
      assert.equal(refusedCharacterIn(text), described);
    });
  }

  it('names the first of several', () => {
    assert.equal(refusedCharacterIn('a\u2029b\u200Bc'), 'a paragraph separator (U+2029)');
  });

  it('finds nothing in letters, digits, punctuation, spaces, accents and emoji of any script', () => {
    for (const text of [
      'Oak dresser',
      'Zoë',
      'e\u0301',
      '東京の壺',
      'Ваза №5',
      'Vase 🏺',
      'A\u00A0B',
      'Ｏａｋ',
      'أ ب',
    ]) {
      assert.equal(refusedCharacterIn(text), undefined, JSON.stringify(text));
    }
  });
});

describe('normalising a bid’s text', () => {
  const spellings: [string, string, string][] = [
    ['full-width letters and an ideographic space', 'Ｏａｋ\u3000ｄｒｅｓｓｅｒ', 'Oak dresser'],
    ['a no-break space and runs of spaces', 'Oak\u00A0  dresser', 'Oak dresser'],
    ['spaces at either end', '  Oak dresser \u2003', 'Oak dresser'],
    ['a decomposed accent', 'Cafe\u0301 table', 'Café table'],
    ['a ligature', 'ﬁne vase', 'fine vase'],
    ['a superscript digit', 'Vase²', 'Vase2'],
  ];
  for (const [what, text, normal] of spellings) {
    it(`makes ${what} one spelling`, () => {
      assert.equal(normaliseBidText(text), normal);
    });
  }

  it('keeps case: two lots that differ only in case stay two lots', () => {
    assert.equal(normaliseBidText('OAK dresser'), 'OAK dresser');
    assert.notEqual(normaliseBidText('OAK dresser'), normaliseBidText('oak dresser'));
  });

  it('is idempotent, and what it makes of accepted text holds no refused character (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const checked = checkBidText(text);
        if (!checked.ok) return true;
        return normaliseBidText(checked.text) === checked.text && refusedCharacterIn(checked.text) === undefined;
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('checking a bid’s text', () => {
  it('answers the normalised text', () => {
    assert.deepEqual(checkBidText(' Ｏａｋ  dresser '), { ok: true, text: 'Oak dresser' });
  });

  it('refuses a refused character with rule "unicode", before normalising could hide it as a space', () => {
    assert.deepEqual(checkBidText('Oak\u2028dresser'), {
      ok: false,
      problem: { rule: 'unicode', message: 'contains a line separator (U+2028)' },
    });
  });

  it('refuses text without a letter or digit', () => {
    for (const text of ['---', '🏺', '. . .', '\u0301']) {
      assert.deepEqual(
        checkBidText(text),
        { ok: false, problem: { rule: 'letterOrDigit', message: 'must contain at least one letter or digit' } },
        JSON.stringify(text),
      );
    }
  });

  it('takes one letter or digit of any script', () => {
    for (const text of ['7', 'Ⅻ', 'ж', '壺', '🏺 1']) assert.equal(checkBidText(text).ok, true, text);
  });

  it('refuses blank text as empty', () => {
    assert.deepEqual(checkBidText(' \u3000 '), {
      ok: false,
      problem: { rule: 'minLength', message: 'must not be empty' },
    });
  });
});
