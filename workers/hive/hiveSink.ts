import odbc from 'odbc';
import { ConfigError } from '../../lib/env';
import { AssignmentLostError, type SinkContext } from '../runtime/sinkContext';
import { StoreRefusedError, TransientSinkError, type Sink, type SinkBatch, type SinkRecord } from '../runtime/sink';
import { prepareTables } from './hiveDdl';
import { readHiveSettings } from './hiveSettings';
import {
  bidInserts,
  notYetStored,
  positionsInsert,
  sessionSetup,
  storedOffsetsAmong,
  type Statement,
} from './hiveStatements';
import { partitionMap, readGeneration, readResumeState, type PartitionRow } from './resumeState';
import { malformedTextOf } from '../runtime/malformedText';
import { describeOdbcError, odbcFailureOf } from './odbcFailure';
import { errorMessage } from '../../lib/errorMessage';

/** Seconds a connection attempt may take before the batch is retried with backoff. */
const LOGIN_TIMEOUT_SECONDS = 10;

/** An ODBC failure while running one statement, with the records that statement carried. */
class StatementFailure extends Error {
  constructor(
    readonly failure: unknown,
    readonly records: readonly SinkRecord[],
  ) {
    super(describeOdbcError(failure));
  }
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
 * PostgreSQL data source, unless HIVE_TRANSACTIONS=off), the whole batch is
 * one transaction as well.
 *
 * Idempotent retries: after a failed write, and before the first write after
 * `open` (a previous owner of the partitions may have been cut off part-way
 * through the same records, or still be finishing a statement), the sink
 * reads what is already stored of the batch and writes only the rest. Without
 * a transaction, the statements before a failure stay stored; with one, a
 * commit whose answer was lost may have happened. A write that follows a
 * successful one does not pay for the read.
 *
 * A value refused as data part-way through a batch without a transaction
 * leaves what the statements before it stored: for each partition a prefix
 * of the batch's records, ending before the refused record (records are
 * ordered by partition and offset before they are cut into statements). The
 * positions rule stays true (resuming at MAX(kafka_offset) + 1 re-reads the
 * refused record), and the runtime's next write of the rest skips that
 * prefix, provided it writes a partition's records in offset order.
 */
export function createHiveSink(context: SinkContext): Sink {
  const { env, log } = context;
  const settings = readHiveSettings(env);
  const { dialect, table, transactional } = settings;
  let connection: odbc.Connection | undefined;
  let topic: string | undefined;
  /** Whether the store may hold some of the next batch already (set by `open` and by a failed write). */
  let mayHoldPartOfBatch = true;
  /** The reset generation `open` found (see `resumePositions`); every row written carries it. */
  let generation: number | undefined;

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

  /**
   * The error the runtime acts on for an ODBC failure: wait it out
   * (TransientSinkError), dead-letter the refused record (StoreRefusedError),
   * stop naming the setting (ConfigError), or stop (anything else). The
   * driver's words are kept; the connection string never appears in them.
   */
  async function classify(error: unknown, records: readonly SinkRecord[] = []): Promise<Error> {
    const words = `ODBC (${dialect}): ${describeOdbcError(error)}`;
    switch (odbcFailureOf(error)) {
      case 'transient':
        await discardConnection();
        return new TransientSinkError(words);
      case 'refused-data':
        // Only a statement of one record says which record was refused; otherwise the runtime splits the batch.
        return new StoreRefusedError(words, records.length === 1 ? records : []);
      case 'missing-table':
        return new ConfigError('HIVE_TABLE', `names a table the data source does not have (${words})`);
      case 'access-denied':
        return new ConfigError(
          'HIVE_ODBC_CONNECTION_STRING',
          `logs in as a user the data source refuses or does not let write ${table} (${words})`,
        );
      default:
        return new Error(words, { cause: error });
    }
  }

  /** Runs store work, turning its ODBC failures into the errors the runtime acts on. */
  async function classified<T>(work: (db: odbc.Connection) => Promise<T>): Promise<T> {
    try {
      return await work(await connected());
    } catch (error) {
      if (error instanceof AssignmentLostError) throw error;
      if (error instanceof StatementFailure) throw await classify(error.failure, error.records);
      throw await classify(error);
    }
  }

  async function run(db: odbc.Connection, statement: Statement & { records?: readonly SinkRecord[] }): Promise<void> {
    try {
      await db.query(statement.sql, statement.params);
    } catch (error) {
      throw new StatementFailure(error, statement.records ?? []);
    }
  }

  /** The records of the batch the store does not hold yet. */
  async function unstored(db: odbc.Connection, records: readonly SinkRecord[], current: number): Promise<SinkRecord[]> {
    if (records.length === 0) return [];
    const query = storedOffsetsAmong(dialect, table, records, current);
    const stored = partitionMap(await db.query<PartitionRow>(query.sql, query.params), 'last_offset');
    const rest = notYetStored(records, stored);
    if (rest.length < records.length) {
      log.info(
        { skipped: records.length - rest.length, storedUpTo: Object.fromEntries(stored) },
        'part of the batch was already stored; writing the rest',
      );
    }
    return rest;
  }

  /** Refuses, before anything is written, bids the driver would store altered. */
  function refuseMalformedText(records: readonly SinkRecord[]): void {
    const malformed = malformedTextOf(records);
    if (malformed.length === 0) return;
    const named = malformed.map(
      ({ record, field }) =>
        `bid ${record.bid.bid_id} (partition ${record.partition}, offset ${record.offset}): ${field}`,
    );
    throw new StoreRefusedError(
      `not well-formed Unicode (a lone UTF-16 surrogate), which the ODBC driver would store altered: ${named.join('; ')}`,
      [...new Set(malformed.map(({ record }) => record))],
    );
  }

  return {
    name: 'hive',
    batching: { maxRecords: 10_000, lingerMs: 2_000 },

    async start() {
      for (let attempt = 1; ; attempt++) {
        try {
          await classified(async (db) => {
            await prepareTables(db, dialect, table);
          });
          break;
        } catch (error) {
          // Several instances starting together race on CREATE … IF NOT EXISTS:
          // PostgreSQL lets both check, then refuses the second creator
          // (23505 on pg_class, or 42P07). Running the DDL again finds the table.
          if (attempt >= 3 || !isCreationRace(error)) throw error;
          log.info({ attempt }, 'another instance created the tables at the same moment; checking again');
        }
      }
      log.info({ dialect, table, rowsPerInsert: settings.rowsPerInsert, transactional }, 'Hive sink ready');
    },

    async open(openedTopic, partitions) {
      topic = openedTopic;
      mayHoldPartOfBatch = true;
      if (partitions.length === 0) return new Map();
      return classified(async (db) => {
        const state = await readResumeState(db, dialect, table, openedTopic, partitions);
        generation = state.generation;
        return state.positions;
      });
    },

    async write(batch: SinkBatch) {
      const positionsTopic = batch.records[0]?.topic ?? topic;
      if (positionsTopic === undefined) throw new Error('Hive sink asked to write before any partition was opened');
      refuseMalformedText(batch.records);
      try {
        await classified(async (db) => {
          // Read by `open`; a sink written to without one reads it here.
          generation ??= await readGeneration(db, table);
          const records = mayHoldPartOfBatch ? await unstored(db, batch.records, generation) : batch.records;
          const statements: Statement[] = bidInserts(dialect, table, records, settings.rowsPerInsert, generation);
          const positions = positionsInsert(dialect, table, positionsTopic, batch.positions, new Date(), generation);
          if (positions) statements.push(positions);
          if (!transactional) {
            // Each statement is kept once it runs: none may run once the partitions may be another worker's.
            for (const statement of statements) {
              context.assertAssignment();
              await run(db, statement);
            }
            return;
          }
          await db.beginTransaction();
          try {
            for (const statement of statements) await run(db, statement);
            context.assertAssignment();
            await db.commit();
          } catch (error) {
            await db.rollback().catch(() => undefined);
            throw error;
          }
        });
        mayHoldPartOfBatch = false;
      } catch (error) {
        mayHoldPartOfBatch = true;
        throw error;
      }
    },

    async close() {
      // Nothing is held per partition: every batch was written before close.
    },

    async stop() {
      await discardConnection();
    },
  };
}

/** Whether a DDL failure is two instances creating the same table at once. */
function isCreationRace(error: unknown): boolean {
  const words = errorMessage(error);
  return /\b42P07\b/.test(words) || (/\b23505\b/.test(words) && /pg_(class|type)/.test(words));
}
