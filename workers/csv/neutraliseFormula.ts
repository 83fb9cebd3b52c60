/**
 * Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets)
 * read a cell as a formula or a command: `=`, `+`, `-`, `@`, and a leading
 * tab or carriage return, which some of them skip before looking.
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

/**
 * Makes a text cell harmless in a spreadsheet by putting a single quote in
 * front of a formula trigger, the usual defence against CSV injection: the
 * spreadsheet then shows the text as typed, quote hidden, and never runs it.
 * Other cells are returned unchanged.
 */
export function neutraliseFormula(cell: string): string {
  return FORMULA_TRIGGER.test(cell) ? `'${cell}` : cell;
}

/** True when a spreadsheet would run this cell. */
export function isFormula(cell: string): boolean {
  return FORMULA_TRIGGER.test(cell);
}
