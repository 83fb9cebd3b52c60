import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readCsvBids, readCsvRows } from '../support/csvBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { assertEveryBidStoredOnce, streamWhileKillingWorker, type SinkUnderTest } from '../support/sinkCrashRecovery';

describe('the CSV sink worker survives being killed', () => {
  let topic: string;
  const folder = mkdtempSync(path.join(tmpdir(), 'csv-crash-'));
  const csvPath = path.join(folder, 'bids.csv');
  before(async () => {
    topic = await createTestTopic('csv-crash', 3);
  });
  after(async () => {
    await deleteTestTopic(topic);
    rmSync(folder, { recursive: true, force: true });
  });

  it('keeps one valid CSV file with a single header and every one of 20,000 bids once, across four SIGKILLs', async () => {
    const sink: SinkUnderTest = {
      worker: 'csv',
      env: { CSV_PATH: csvPath },
      countStored: async () => readCsvRows(csvPath).length,
      readStored: async () => readCsvBids(csvPath),
    };
    const run = await streamWhileKillingWorker(sink, topic, { bidCount: 20_000, kills: 4 });
    assertEveryBidStoredOnce(run.produced, run.stored);
    assert.equal(readCsvRows(csvPath).length, 20_000);
  });
});
