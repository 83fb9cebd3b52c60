import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { BidStream, sampleBid } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { readCsvBids, readCsvRows } from '../support/csvBids';
import { readFlatSpreadsheetCells, type SpreadsheetCell } from '../support/flatSpreadsheet';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { openCsvInLibreOffice, SPREADSHEET_SEPARATORS } from '../support/libreOfficeImport';
import { waitFor } from '../support/service';

/**
 * The CSV export as a spreadsheet user opens it: hostile item and bidder
 * names go through Kafka and the built CSV worker into a file, which
 * LibreOffice Calc then opens with `,`, `;` and tab as the separator,
 * formulas evaluated on import. No cell may come out a formula, and names
 * that merely start with a sign stay readable.
 */

/** What Excel or LibreOffice may read as the start of a formula, ASCII and full width. */
const TRIGGERS = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/** What comes before a trigger inside a name: nothing, a separator, a quote, blanks a spreadsheet may trim. */
const LEADS = ['', 'x,', 'x;', 'x"', 'x;"', 'x;""', ' ', 'x; ', 'x;\u00a0', 'x\u2028'];

const HOSTILE_TEXTS = [
  ...LEADS.flatMap((lead) => TRIGGERS.map((trigger) => `${lead}${trigger}1+1`)),
  'x;=HYPERLINK("http://evil.example","click")',
  'x;=HYPERLINK("http://evil.example";"click");',
  "'=1+1",
  "x;'=1+1",
];

/** Names a bidder may well have, that must survive readably. */
const READABLE = { item: '-5 lot', name: '+44 20 7946 0000' };

function describeCells(cells: readonly SpreadsheetCell[]): string {
  return cells
    .slice(0, 10)
    .map(
      (cell) =>
        `row ${cell.row} column ${cell.column}: ${JSON.stringify(cell.formula)} from ${JSON.stringify(cell.text)}`,
    )
    .join('\n');
}

describe('the CSV export opened in a spreadsheet', { timeout: 900_000 }, () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'csv-spreadsheet-'));
  const csvPath = path.join(folder, 'bids.csv');
  // A file that is a formula whatever the separator: shows LibreOffice evaluates formulas with these options.
  const controlPath = path.join(folder, 'control.csv');
  const bids: Bid[] = [
    ...HOSTILE_TEXTS.flatMap((text, i) => [sampleBid(2 * i, { item: text }), sampleBid(2 * i + 1, { name: text })]),
    sampleBid(HOSTILE_TEXTS.length * 2, READABLE),
  ];
  let topic = '';
  let deadLetterTopic = '';

  before(async () => {
    topic = await createTestTopic('csv-spreadsheet', 1);
    deadLetterTopic = await createTestTopic('csv-spreadsheet-parked', 1);
    writeFileSync(controlPath, '=1+1\r\n');
    const stream = await BidStream.open();
    try {
      await stream.sendBids(topic, bids);
    } finally {
      await stream.close();
    }
    const worker = new SinkWorkerProcess('csv', {
      CSV_PATH: csvPath,
      KAFKA_TOPIC: topic,
      KAFKA_DLQ_TOPIC: deadLetterTopic,
      SINK_CONSUMER_GROUP: `csv-spreadsheet-${randomUUID().slice(0, 8)}`,
    });
    try {
      await waitFor(
        `${bids.length} rows in ${csvPath}`,
        () => (readCsvRows(csvPath).length >= bids.length ? true : undefined),
        120_000,
      );
      const { code } = await worker.stop();
      assert.equal(code, 0, `the CSV worker stops cleanly; stderr: ${worker.stderr.join('')}`);
    } finally {
      await worker.dispose();
    }
  });

  after(async () => {
    await deleteTestTopic(topic);
    await deleteTestTopic(deadLetterTopic);
    rmSync(folder, { recursive: true, force: true });
  });

  it('holds every bid once, and an export consumer gets the names back exactly by undoing the neutralising', () => {
    const exported = readCsvBids(csvPath);
    assert.deepEqual(
      exported.map((bid) => [bid.bid_id, bid.item, bid.name]),
      bids.map((bid) => [bid.bid_id, bid.item, bid.name]),
    );
  });

  for (const separator of SPREADSHEET_SEPARATORS) {
    it(`opened with ${separator.name} as the separator, has no formula cell and shows "-5 lot" and "+44 …" as text`, async () => {
      const [exportFile, controlFile] = await openCsvInLibreOffice(
        [csvPath, controlPath],
        separator,
        path.join(folder, separator.name),
      );
      const control = readFlatSpreadsheetCells(controlFile!);
      assert.ok(
        control.some((cell) => cell.formula !== undefined),
        `LibreOffice read "=1+1" as a formula, so formulas are evaluated on import; it gave ${JSON.stringify(control)}`,
      );

      const cells = readFlatSpreadsheetCells(exportFile!);
      assert.ok(cells.length > bids.length, `the export was read: ${cells.length} cells`);
      const formulas = cells.filter((cell) => cell.formula !== undefined);
      assert.equal(formulas.length, 0, `cells read as formulas:\n${describeCells(formulas)}`);
      for (const text of Object.values(READABLE)) {
        assert.ok(
          cells.some((cell) => cell.text.includes(text)),
          `a cell shows ${JSON.stringify(text)}`,
        );
        if (separator.name === 'comma') {
          assert.ok(
            cells.some((cell) => cell.text === text || cell.text === `'${text}`),
            `a cell of its own shows ${JSON.stringify(text)}, at most behind the single quote`,
          );
        }
      }
    });
  }
});
