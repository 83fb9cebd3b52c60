import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Bid } from '../../lib/bid/bid';
import { BidStream, sampleBid, streamBids } from '../support/bidStream';
import { SinkWorkerProcess } from '../support/builtProgram';
import { createTestHiveTable, type TestHiveTable } from '../support/hiveBids';
import { createTestTopic, deleteTestTopic } from '../support/kafkaTopics';
import { countMysqlBids, readMysqlBids } from '../support/mysqlBids';
import { createTestDatabase, type TestDatabase } from '../support/mysqlDatabase';
import { assertEveryBidStoredOnce, waitForStoreCount, type SinkUnderTest } from '../support/sinkCrashRecovery';
import { sleep } from '../support/workerLog';

/**
 * Several instances of one worker in its group, some started and some
 * SIGKILLed while bids stream in: what the store holds at the end is every
 * bid once, whatever moved where.
 */
class WorkerFleet {
  readonly started: SinkWorkerProcess[] = [];

  constructor(
    private readonly worker: string,
    private readonly env: Record<string, string>,
  ) {}

  start(): SinkWorkerProcess {
    const instance = new SinkWorkerProcess(this.worker, this.env);
    this.started.push(instance);
    return instance;
  }

  /** SIGKILLs the oldest instance still running. */
  async killOne(): Promise<void> {
    const victim = this.started.find((instance) => !instance.hasExited);
    if (!victim) return;
    victim.kill('SIGKILL');
    await victim.exit();
  }

  async dispose(): Promise<void> {
    for (const instance of this.started) await instance.dispose();
  }
}

describe(
  'three instances each of the MySQL and Hive workers, started and killed during a 50,000-bid stream',
  { timeout: 420_000 },
  () => {
    let topic: string;
    let database: TestDatabase;
    let table: TestHiveTable;
    before(async () => {
      topic = await createTestTopic('sinks-scale', 6);
      database = await createTestDatabase();
      table = await createTestHiveTable('hive_scale');
    });
    after(async () => {
      await deleteTestTopic(topic);
      await database.drop();
      await table.drop();
    });

    it('every store holds every bid exactly once', async () => {
      const common = { KAFKA_TOPIC: topic, SINK_SESSION_TIMEOUT_MS: '6000', SINK_BATCH_MAX_RECORDS: '2000' };
      const mysql = new WorkerFleet('mysql', {
        ...common,
        MYSQL_URL: database.url,
        SINK_CONSUMER_GROUP: `scale-mysql-${randomUUID().slice(0, 8)}`,
      });
      const hive = new WorkerFleet('hive', {
        ...common,
        HIVE_TABLE: table.name,
        SINK_CONSUMER_GROUP: `scale-hive-${randomUUID().slice(0, 8)}`,
      });
      const stores: SinkUnderTest[] = [
        {
          worker: 'mysql',
          env: {},
          countStored: () => countMysqlBids(database.pool),
          readStored: () => readMysqlBids(database.pool),
        },
        { worker: 'hive', env: {}, countStored: () => table.count(), readStored: () => table.readBids() },
      ];
      const produced: Bid[] = Array.from({ length: 50_000 }, (_, i) => sampleBid(i));
      const stream = await BidStream.open();
      try {
        for (let i = 0; i < 3; i++) {
          mysql.start();
          hive.start();
        }
        // About 25 s of stream; instances come and go while it flows.
        const producing = streamBids(stream, topic, produced, 50, 500);
        const churn = async (): Promise<void> => {
          for (const fleet of [mysql, hive, mysql, hive]) {
            await sleep(3000);
            await fleet.killOne();
            fleet.start();
          }
          await sleep(3000);
          await mysql.killOne();
          await hive.killOne();
        };
        await Promise.all([producing, churn()]);
        for (const store of stores) {
          await waitForStoreCount(store, produced.length, 30_000);
          assertEveryBidStoredOnce(produced, await store.readStored());
        }
      } finally {
        await mysql.dispose();
        await hive.dispose();
        await stream.close();
      }
    });
  },
);
