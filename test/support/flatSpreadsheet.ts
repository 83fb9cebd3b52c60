import { readFileSync } from 'node:fs';

/** One non-empty cell of a spreadsheet: where it is, the text it shows and, for a formula cell, its formula. */
export interface SpreadsheetCell {
  /** 1-based, as a spreadsheet numbers them. */
  row: number;
  column: number;
  text: string;
  /** The `table:formula` attribute: present only when the spreadsheet made the cell a formula. */
  formula?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

function attribute(attributes: string, name: string): string | undefined {
  const found = new RegExp(`\\s${name}="([^"]*)"`).exec(attributes);
  return found ? decodeEntities(found[1]!) : undefined;
}

/** The text of a cell's `<text:p>` paragraphs, with ODF's space, tab and line-break elements expanded. */
function cellText(content: string): string {
  const paragraphs = [...content.matchAll(/<text:p\b[^>]*>([\s\S]*?)<\/text:p>/g)].map((paragraph) =>
    decodeEntities(
      paragraph[1]!
        .replace(/<text:s\b[^>]*?text:c="(\d+)"[^>]*\/>/g, (_, count: string) => ' '.repeat(Number(count)))
        .replace(/<text:s\b[^>]*\/>/g, ' ')
        .replace(/<text:tab\b[^>]*\/>/g, '\t')
        .replace(/<text:line-break\b[^>]*\/>/g, '\n')
        .replace(/<[^>]+>/g, ''),
    ),
  );
  return paragraphs.join('\n');
}

/**
 * The non-empty cells of the first sheet of a flat OpenDocument spreadsheet
 * (`.fods`, what `soffice --convert-to fods` writes), read straight from its
 * XML: enough of the format to see which cells are formulas and what text the
 * others show.
 */
export function readFlatSpreadsheetCells(file: string): SpreadsheetCell[] {
  const xml = readFileSync(file, 'utf8');
  const sheet = /<table:table\b[\s\S]*?<\/table:table>/.exec(xml);
  if (!sheet) throw new Error(`${file} holds no sheet`);
  const cells: SpreadsheetCell[] = [];
  let row = 0;
  for (const rowMatch of sheet[0].matchAll(/<table:table-row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:table-row>)/g)) {
    const rowAttributes = rowMatch[1]!;
    let column = 0;
    for (const cellMatch of (rowMatch[2] ?? '').matchAll(
      /<table:(?:covered-)?table-cell\b([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g,
    )) {
      const cellAttributes = cellMatch[1]!;
      const text = cellText(cellMatch[2] ?? '');
      const formula = attribute(cellAttributes, 'table:formula');
      if (text !== '' || formula !== undefined) {
        cells.push({ row: row + 1, column: column + 1, text, ...(formula === undefined ? {} : { formula }) });
      }
      column += Number(attribute(cellAttributes, 'table:number-columns-repeated') ?? '1');
    }
    row += Number(attribute(rowAttributes, 'table:number-rows-repeated') ?? '1');
  }
  return cells;
}
