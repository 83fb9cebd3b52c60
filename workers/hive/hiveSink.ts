import odbc from 'odbc';
import type { Env } from '../../lib/env';
import type { Logger } from '../../lib/logger';
import { TransientSinkError, type Sink, type SinkBatch } from '../runtime/sink';
import { tableDdl } from './hiveDdl';
import { readHiveSettings } from './hiveSettings';
import {
  bidInserts,
  lastStoredOffsetsQuery,
  positionsInsert,
  recordedPositionsQuery,
  resumePositions,
  sessionSetup,
  type Statement,
} from './hiveStatements';
import { describeOdbcError, isTransientOdbcError } from './transientOdbcError';

/** Seconds a connection attempt may take before the batch is retried with backoff. */
const LOGIN_TIMEOUT_SECONDS = 10;

/** Rows of a `SELECT kafka_partition, MAX(…)` query, as the driver returns them (numbers or numeric text). */
type PartitionRow = Record<string, unknown> & { kafka_partition: unknown };

function partitionMap(rows: readonly PartitionRow[], column: string): Map<number, number> {
  const map = new Map<number, number>();
  for (const row of rows) {
    const value = row[column];
    if (value !== null && value !== undefined) map.set(Number(row.kafka_partition), Number(value));
  }
  return map;
}

/**
 * The Hive sink: bids go through ODBC into a table partitioned by bid date,
 * with the Kafka partition and offset of each bid as columns, in large
 * parameterised multi-row INSERTs (Hive pays seconds per statement, so the
 * batches are large and lingered).
 *
 * Exactly-once effect without transactions: statements hold each partition's
 * bids in offset order, and a positions row is appended after them, so a
 * restart resumes from MAX(kafka_offset) + 1 or the last recorded position,
 * whichever is further. Where the driver has transactions (the local
 * PostgreSQL data source), the whole batch is one transaction as well.
 */
export function createHiveSink(env: Env, log: Logger): Sink {
  const settings = readHiveSettings(env);
  const { dialect, table } = settings;
  const transactional = dialect !== 'hive';
  let connection: odbc.Connection | undefined;
  let topic: string | undefined;

  async function connected(): Promise<odbc.Connection> {
    if (connection) return connection;
    const opened = await odbc.connect({
      connectionString: settings.connectionString,
      loginTimeout: LOGIN_TIMEOUT_SECONDS,
    });
    try {
      for (const sql of sessionSetup(dialect)) await opened.query(sql);
    } catch (error) {
      await opened.close().catch(() => undefined);
      throw error;
    }
    connection = opened;
    return opened;
  }

  /** Drops a connection that failed: the next call opens a fresh one. */
  async function discardConnection(): Promise<void> {
    const failed = connection;
    connection = undefined;
    await failed?.close().catch(() => undefined);
  }

  /** Runs store work, turning failures worth waiting out into TransientSinkError and keeping the driver's words. */
  async function classified<T>(work: (db: odbc.Connection) => Promise<T>): Promise<T> {
    try {
      return await work(await connected());
    } catch (error) {
      if (isTransientOdbcError(error)) {
        await discardConnection();
        throw new TransientSinkError(`ODBC (${dialect}): ${describeOdbcError(error)}`);
      }
      throw new Error(`ODBC (${dialect}): ${describeOdbcError(error)}`, { cause: error });
    }
  }

  async function run(db: odbc.Connection, statement: Statement): Promise<void> {
    await db.query(statement.sql, statement.params);
  }

  return {
    name: 'hive',
    batching: { maxRecords: 10_000, lingerMs: 2_000 },

    async start() {
      await classified(async (db) => {
        for (const statement of tableDdl(dialect, table)) await db.query(statement);
      });
      log.info({ dialect, table, rowsPerInsert: settings.rowsPerInsert }, 'Hive sink ready');
    },

    async open(openedTopic, partitions) {
      topic = openedTopic;
      if (partitions.length === 0) return new Map();
      return classified(async (db) => {
        const stored = await db.query<PartitionRow>(lastStoredOffsetsQuery(table));
        const recorded = await db.query<PartitionRow>(recordedPositionsQuery(table), [openedTopic]);
        return resumePositions(partitionMap(stored, 'last_offset'), partitionMap(recorded, 'next_offset'), partitions);
      });
    },

    async write(batch: SinkBatch) {
      const positionsTopic = batch.records[0]?.topic ?? topic;
      if (positionsTopic === undefined) throw new Error('Hive sink asked to write before any partition was opened');
      const statements = bidInserts(dialect, table, batch.records, settings.rowsPerInsert);
      const positions = positionsInsert(dialect, table, positionsTopic, batch.positions, new Date());
      if (positions) statements.push(positions);
      await classified(async (db) => {
        if (!transactional) {
          for (const statement of statements) await run(db, statement);
          return;
        }
        await db.beginTransaction();
        try {
          for (const statement of statements) await run(db, statement);
          await db.commit();
        } catch (error) {
          await db.rollback().catch(() => undefined);
          throw error;
        }
      });
    },

    async close() {
      // Nothing is held per partition: every batch was written before close.
    },

    async stop() {
      await discardConnection();
    },
  };
}
