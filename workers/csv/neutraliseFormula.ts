/**
 * Formula neutralising for the free-text cells of the CSV export (item,
 * name), written so that no cell can be read as a formula by a spreadsheet
 * that opens the file with `,`, `;` or tab as its separator.
 *
 * A spreadsheet may start a cell at the start of a value, and also right
 * after any `,`, `;`, tab, quote or line break inside it: with `;` as the
 * separator, the name `x;=1+1` is two cells, the second `=1+1`. At each such
 * cell start, white space allowed in between (a spreadsheet may trim it),
 * a formula trigger gets a single quote in front of it, so the spreadsheet
 * reads text. The triggers are `=`, `+`, `-`, `@`, tab and carriage return
 * (each of which Excel or LibreOffice read as the start of a formula or a
 * command), their full-width forms `＝` `＋` `－` `＠` (which East Asian input
 * turns into them), and the single quote itself, so that a quote already
 * there is doubled and the rule can be undone exactly by
 * {@link restoreNeutralised}. Everything else is written as bid.
 */

/** After one of these a spreadsheet may start a new cell: `,` `;` tab `"` and the line breaks LF, CR, NEL, LS, PS. */
function opensCell(code: number): boolean {
  return (
    code === 0x2c ||
    code === 0x3b ||
    code === 0x09 ||
    code === 0x22 ||
    code === 0x0a ||
    code === 0x0d ||
    code === 0x85 ||
    code === 0x2028 ||
    code === 0x2029
  );
}

/** White space (other than tab and line breaks) a spreadsheet may trim before reading a cell. */
function isBlank(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x0b ||
    code === 0x0c ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** A character that gets a single quote in front of it at a cell start. */
function needsQuote(code: number): boolean {
  return (
    code === 0x3d || // =
    code === 0x2b || // +
    code === 0x2d || // -
    code === 0x40 || // @
    code === 0x09 || // tab
    code === 0x0d || // carriage return
    code === 0xff1d || // ＝
    code === 0xff0b || // ＋
    code === 0xff0d || // －
    code === 0xff20 || // ＠
    code === 0x27 // ' itself, so the rule can be undone
  );
}

const SINGLE_QUOTE = 0x27;

/**
 * The cell as written to the export: a single quote put before every formula
 * trigger (or single quote) found at a cell start — the start of the value,
 * or right after `,` `;` tab `"` or a line break, white space in between
 * allowed. A cell with nothing to neutralise is returned as it is, without
 * allocating: this runs for two cells of every exported row.
 */
export function neutraliseFormula(cell: string): string {
  let written = '';
  let copiedUpTo = 0;
  let atCellStart = true;
  for (let i = 0; i < cell.length; i++) {
    const code = cell.charCodeAt(i);
    if (atCellStart && needsQuote(code)) {
      written += `${cell.slice(copiedUpTo, i)}'`;
      copiedUpTo = i;
    }
    atCellStart = opensCell(code) || (atCellStart && isBlank(code));
  }
  return written === '' ? cell : written + cell.slice(copiedUpTo);
}

/**
 * The text that was bid, from a cell of the export: drops the single quote
 * found at each cell start (as {@link neutraliseFormula} defines it), which
 * is always one the export put there.
 */
export function restoreNeutralised(cell: string): string {
  let restored = '';
  let copiedUpTo = 0;
  let dropped = false;
  let atCellStart = true;
  for (let i = 0; i < cell.length; i++) {
    const code = cell.charCodeAt(i);
    if (atCellStart && code === SINGLE_QUOTE) {
      restored += cell.slice(copiedUpTo, i);
      copiedUpTo = i + 1;
      dropped = true;
    }
    atCellStart = opensCell(code) || (atCellStart && isBlank(code));
  }
  return dropped ? restored + cell.slice(copiedUpTo) : cell;
}
