import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { fromRoot } from '../../lib/paths';
import { neutraliseFormula, restoreNeutralised } from '../../workers/csv/neutraliseFormula';

/** Where a spreadsheet may start a cell inside a value: after `,` `;` tab `"` or a line break. */
const CELL_OPENERS = /[,;\t"\n\r\u0085\u2028\u2029]/;

/** Blanks a spreadsheet may trim at the start of a cell. */
const LEADING_BLANKS = /^[ \v\f\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufeff]*/;

/** What must never start a cell once blanks are trimmed: the formula triggers, ASCII and full width. */
const STARTS_FORMULA = /^[=+\-@\t\r＝＋－＠]/;

/**
 * The pieces a spreadsheet could make of a written value, whichever of
 * `,` `;` tab it splits on and however it treats quotes: an independent
 * statement of the rule, checked against the implementation.
 */
function possibleCells(written: string): string[] {
  const pieces = [written];
  for (let i = 0; i < written.length; i++) {
    if (CELL_OPENERS.test(written[i]!)) pieces.push(written.slice(i + 1));
  }
  return pieces.map((piece) => piece.replace(LEADING_BLANKS, ''));
}

/** Any value a bidder could type, rich in what the rule is about. */
const anyValue = fc.string({
  unit: fc.constantFrom(
    ...['a', '1', ' ', '\u00a0', '\u3000', ',', ';', '\t', '"', '\r', '\n', '\u2028', "'"],
    ...['=', '+', '-', '@', '＝', '＋', '－', '＠', '(', 'é', '李'],
  ),
  maxLength: 12,
});

/** The undo recipe README.md gives export consumers, as a RegExp. */
function readmeUndoPattern(): RegExp {
  const readme = readFileSync(fromRoot('README.md'), 'utf8');
  const recipe = /cell\.replace\(\/(.+)\/g, '\$1\$2'\);/.exec(readme);
  assert.ok(recipe, 'README.md shows the cell.replace(…) recipe');
  return new RegExp(recipe[1]!, 'g');
}

describe('formula neutralising of CSV text cells', () => {
  for (const trigger of ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠']) {
    it(`puts a single quote before ${JSON.stringify(trigger)} at the start of the value`, () => {
      assert.equal(neutraliseFormula(`${trigger}SUM(A1)`), `'${trigger}SUM(A1)`);
    });
  }

  it('neutralises a formula after a semicolon, which a spreadsheet splitting on ";" reads as a cell of its own', () => {
    assert.equal(neutraliseFormula('x;=HYPERLINK("http://evil","click")'), `x;'=HYPERLINK("http://evil","click")`);
  });

  it('neutralises a formula after a comma, a tab, a quote or a line break', () => {
    assert.equal(neutraliseFormula('a,=1+1'), "a,'=1+1");
    assert.equal(neutraliseFormula('a\t=1+1'), "a\t'=1+1");
    assert.equal(neutraliseFormula('a\t\t@SUM(1)'), "a\t'\t'@SUM(1)");
    assert.equal(neutraliseFormula('a"=1+1'), `a"'=1+1`);
    assert.equal(neutraliseFormula('a;"+1+1";'), `a;"'+1+1";`);
    assert.equal(neutraliseFormula('a\n-1+1'), "a\n'-1+1");
    assert.equal(neutraliseFormula('a\r\n=1'), "a\r\n'=1");
    assert.equal(neutraliseFormula('a\u2028=1+1'), "a\u2028'=1+1");
  });

  it('neutralises a formula behind blanks a spreadsheet may trim', () => {
    assert.equal(neutraliseFormula(' =1+1'), " '=1+1");
    assert.equal(neutraliseFormula('x;  +1'), "x;  '+1");
    assert.equal(neutraliseFormula('x;\u00a0\u3000＝1'), "x;\u00a0\u3000'＝1");
  });

  it('leaves a sign-led name readable: the text follows the single quote unchanged', () => {
    assert.equal(neutraliseFormula('-5 lot'), "'-5 lot");
    assert.equal(neutraliseFormula('+44 20 7946 0000'), "'+44 20 7946 0000");
    assert.equal(restoreNeutralised("'-5 lot"), '-5 lot');
    assert.equal(restoreNeutralised("'+44 20 7946 0000"), '+44 20 7946 0000');
  });

  it('doubles a single quote at a cell start, so the rule can be undone exactly', () => {
    assert.equal(neutraliseFormula("'Tis mine"), "''Tis mine");
    assert.equal(neutraliseFormula("'=1"), "''=1");
    assert.equal(restoreNeutralised("''=1"), "'=1");
  });

  it('leaves harmless values alone, triggers and quotes inside words included', () => {
    for (const cell of ['Grace', 'a=b', "O'Brien", 'Jean-Luc', 'Lot 5 - chair', 'x@y', '', '李雷', 'Zoë "Z"', 'a,b']) {
      assert.equal(neutraliseFormula(cell), cell);
      assert.equal(restoreNeutralised(cell), cell);
    }
  });

  it('never leaves a possible cell that starts a formula, and undoing it gives the value back, for any value', () => {
    fc.assert(
      fc.property(anyValue, (cell) => {
        const written = neutraliseFormula(cell);
        for (const piece of possibleCells(written)) {
          assert.doesNotMatch(piece, STARTS_FORMULA, `${JSON.stringify(cell)} written ${JSON.stringify(written)}`);
        }
        assert.equal(restoreNeutralised(written), cell);
      }),
      { numRuns: 5000 },
    );
  });

  it('is undone exactly by the recipe README.md gives export consumers', () => {
    const undo = readmeUndoPattern();
    assert.equal("x;'=HYPERLINK(1)".replace(undo, '$1$2'), 'x;=HYPERLINK(1)');
    fc.assert(
      fc.property(anyValue, (cell) => {
        assert.equal(neutraliseFormula(cell).replace(undo, '$1$2'), cell);
      }),
      { numRuns: 5000 },
    );
  });
});
