import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromSqlTimestamp, toSqlTimestamp } from '../../lib/sqlTimestamp';

describe('SQL timestamps', () => {
  it('write a bid timestamp as UTC wall-clock text and read it back unchanged', () => {
    assert.equal(toSqlTimestamp('2026-11-23T09:15:00.123Z'), '2026-11-23 09:15:00.123');
    assert.equal(fromSqlTimestamp('2026-11-23 09:15:00.123'), '2026-11-23T09:15:00.123Z');
  });

  it('read back the shorter fractions PostgreSQL prints as milliseconds', () => {
    assert.equal(fromSqlTimestamp('2026-11-23 09:15:00.12'), '2026-11-23T09:15:00.120Z');
    assert.equal(fromSqlTimestamp('2026-11-23 09:15:00'), '2026-11-23T09:15:00.000Z');
  });
});
