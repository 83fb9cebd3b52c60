import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { advanceCheckpoint, parseCheckpoint } from '../../workers/csv/checkpoint';
import { CSV_COLUMNS, CSV_HEADER } from '../../workers/csv/csvFormat';
import { csvLayout } from '../../workers/csv/csvLayout';
import { nextFileName } from '../../workers/csv/exportFileName';
import type { SinkRecord } from '../../workers/runtime/sink';
import { sampleRecords } from '../support/sinkRecords';

function withExtra(extra: SinkRecord['extra']): SinkRecord {
  return { ...sampleRecords(3, 1)[0]!, extra };
}

describe('the CSV layout of a bid schema version', () => {
  it('is the first columns alone while the schema adds no field: the header files already have', () => {
    const layout = csvLayout([]);
    assert.deepEqual(layout.columns, CSV_COLUMNS);
    assert.equal(layout.header, CSV_HEADER);
  });

  it('adds a column per added field at the end, filled from the record, the schema default, or left empty', () => {
    const layout = csvLayout(['currency', 'lot_grade', 'note'], { lot_grade: 'B' });
    assert.equal(layout.header, `${CSV_COLUMNS.join(',')},currency,lot_grade,note\r\n`);
    const v2 = layout.row(withExtra({ currency: 'EUR', lot_grade: 'A', note: { words: 2 } }));
    assert.deepEqual(v2.slice(CSV_COLUMNS.length), ['EUR', 'A', '{"words":2}']);
    const v1 = layout.row(withExtra({}));
    assert.equal(v1.length, layout.columns.length);
    assert.deepEqual(
      v1.slice(CSV_COLUMNS.length),
      ['', 'B', ''],
      'a field a version-1 bid lacks: its default, or empty',
    );
  });

  it('neutralises a formula in an added text field like in item and name', () => {
    const [cell] = csvLayout(['note'])
      .row(withExtra({ note: '=1+1' }))
      .slice(CSV_COLUMNS.length);
    assert.equal(cell, "'=1+1");
  });

  it('names the fields a record carries that it has no column for, and writes the row without them', () => {
    const layout = csvLayout([]);
    const record = withExtra({ currency: 'EUR' });
    assert.deepEqual(layout.unknownFields(record), ['currency']);
    assert.equal(layout.row(record).length, CSV_COLUMNS.length);
    assert.deepEqual(csvLayout(['currency']).unknownFields(record), []);
  });
});

describe('the name of a CSV file started when the columns change', () => {
  it('is the export name with the UTC start time before the extension, made unique', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-names-'));
    try {
      const csvPath = path.join(folder, 'bids.csv');
      const at = new Date('2026-11-23T17:15:00.456Z');
      assert.equal(nextFileName(csvPath, at), 'bids.20261123T171500Z.csv');
      fs.writeFileSync(path.join(folder, 'bids.20261123T171500Z.csv'), '');
      assert.equal(nextFileName(csvPath, at), 'bids.20261123T171500Z-2.csv', 'never an existing file');
      assert.equal(nextFileName(path.join(folder, 'export'), at), 'export.20261123T171500Z');
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('is kept by the checkpoint through every later batch, and only a plain file name is accepted', () => {
    const started = { file: 'bids.20261123T171500Z.csv', bytes: 80, positions: {} };
    const next = advanceCheckpoint(started, 200, 'auction', new Map([[0, 9]]));
    assert.equal(next.file, started.file);
    assert.deepEqual(parseCheckpoint(JSON.stringify(next)), next);
    assert.equal(parseCheckpoint('{"bytes": 1, "positions": {}}').file, undefined, 'older checkpoints: CSV_PATH');
    for (const file of ['../bids.csv', '/tmp/x.csv', '', '..', 7]) {
      assert.throws(() => parseCheckpoint(JSON.stringify({ file, bytes: 1, positions: {} })), /file/);
    }
  });
});
