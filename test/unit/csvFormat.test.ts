import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { advanceCheckpoint, EMPTY_CHECKPOINT, parseCheckpoint } from '../../workers/csv/checkpoint';
import { CSV_COLUMNS, CSV_HEADER, csvRow, csvText } from '../../workers/csv/csvFormat';
import type { SinkRecord } from '../../workers/runtime/sink';

function record(name: string, item = 'Oak dresser'): SinkRecord {
  return {
    bid: { bid_id: '6f1c3c51-8c1e-4a5e-9c4b-2f0f7c3f8f11', item, name, price: 120, bid_ts: '2026-11-23T06:00:00.123Z' },
    extra: {},
    schemaId: 1,
    topic: 'auction',
    partition: 2,
    offset: 41,
  };
}

describe('CSV rows', () => {
  it('has a fixed column order, and the header names it', () => {
    assert.deepEqual(CSV_COLUMNS, ['bid_id', 'item', 'name', 'price', 'bid_ts', 'kafka_partition', 'kafka_offset']);
    assert.equal(CSV_HEADER, 'bid_id,item,name,price,bid_ts,kafka_partition,kafka_offset\r\n');
  });

  it('quotes per RFC 4180 and a strict parser reads back the same cells', () => {
    const names = ['=HYPERLINK("http://x","y")', "Robert'); DROP TABLE bids;--", 'Zoë, "Z"', 'line\nbreak'];
    const text = csvText(names.map((name) => csvRow(record(name))));
    assert.ok(text.endsWith('\r\n'));
    const cells = parse(text, { record_delimiter: '\r\n' }) as string[][];
    assert.deepEqual(
      cells.map((row) => row[2]),
      [`'=HYPERLINK("http://x","y")`, "Robert'); DROP TABLE bids;'--", 'Zoë, "Z"', 'line\nbreak'],
    );
    assert.deepEqual(cells[0]!.slice(3), ['120', '2026-11-23T06:00:00.123Z', '2', '41']);
  });

  it('writes exactly what csv-stringify writes with the same quoting rules, for any cells', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', "'", '=', 'é', '李'),
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 7 }), { maxLength: 5 }), (rows) => {
        assert.equal(csvText(rows), stringify(rows, { record_delimiter: 'windows', quoted_match: /[\r\n]/ }));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('CSV checkpoint', () => {
  it('merges a batch position into the topic it belongs to', () => {
    const first = advanceCheckpoint(EMPTY_CHECKPOINT, 100, 'auction', new Map([[0, 5]]));
    const second = advanceCheckpoint(first, 180, 'auction', new Map([[1, 7]]));
    assert.deepEqual(second, { bytes: 180, positions: { auction: { '0': 5, '1': 7 } } });
    assert.deepEqual(parseCheckpoint(JSON.stringify(second)), second);
  });

  it('refuses a checkpoint that is not one, saying what is wrong', () => {
    assert.throws(() => parseCheckpoint('{"bytes": 10'), /not JSON/);
    assert.throws(() => parseCheckpoint('{"bytes": -1, "positions": {}}'), /bytes/);
    assert.throws(() => parseCheckpoint('{"bytes": 1, "positions": {"auction": {"x": 1}}}'), /positions/);
  });
});
