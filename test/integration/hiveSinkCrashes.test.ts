import { after, before, describe, it } from 'node:test';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { assertEveryBidStoredOnce, streamWhileKillingWorker, type SinkUnderTest } from '../support/sinkCrashRecovery';

describe('the Hive sink worker survives being killed', () => {
  let topic: string;
  let table: TestHiveTable;
  before(async () => {
    topic = await createTestTopic('hive-crash', 3);
    table = await createTestHiveTable('hive_crash');
  });
  after(async () => {
    await deleteTestTopic(topic);
    await table.drop();
  });

  it('holds every one of 20,000 bids exactly once in the ODBC table, across four SIGKILLs', async () => {
    const sink: SinkUnderTest = {
      worker: 'hive',
      // Small statements and a short linger, so kills land between the statements of a batch too.
      env: { HIVE_TABLE: table.name, HIVE_ROWS_PER_INSERT: '100', SINK_BATCH_LINGER_MS: '300' },
      countStored: () => table.count(),
      readStored: () => table.readBids(),
    };
    const run = await streamWhileKillingWorker(sink, topic, { bidCount: 20_000, kills: 4 });
    assertEveryBidStoredOnce(run.produced, run.stored);
  });
});
