import { tableDdl } from '../../workers/hive/hiveDdl';
import type { TestHiveTable } from './hiveBids';

/** A fault planted in the local PostgreSQL data source, removed by `remove`. */
export interface PlantedFault {
  /** How many INSERTs the fault has been asked about so far (see each fault for which). */
  tries(): Promise<number>;
  remove(): Promise<void>;
}

/**
 * Creates the test table (as the worker would, so the trigger has a home)
 * and a BEFORE INSERT trigger named `<table>_<fault>` whose body may count
 * in the sequence `<table>_<fault>_tries` (`nextval` in `body`).
 */
async function plantInsertTrigger(table: TestHiveTable, fault: string, body: string): Promise<PlantedFault> {
  const { connection, name } = table;
  const trigger = `${name}_${fault}`;
  const counter = `${trigger}_tries`;
  for (const statement of tableDdl('postgresql', name)) await connection.query(statement);
  await connection.query(`CREATE SEQUENCE ${counter}`);
  await connection.query(
    `CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       ${body.replaceAll('$counter', counter)}
       RETURN NEW;
     END $$`,
  );
  await connection.query(
    `CREATE TRIGGER ${trigger} BEFORE INSERT ON ${name} FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
  );
  return {
    async tries() {
      const rows = await connection.query<{ last_value: unknown; is_called: unknown }>(
        `SELECT last_value, is_called FROM ${counter}`,
      );
      const row = rows[0];
      // A sequence never asked for a value reports last_value 1 with is_called false.
      return row && (row.is_called === true || row.is_called === 1 || row.is_called === '1')
        ? Number(row.last_value)
        : 0;
    },
    async remove() {
      await connection.query(`DROP TRIGGER IF EXISTS ${trigger} ON ${name}`).catch(() => undefined);
      await connection.query(`DROP FUNCTION IF EXISTS ${trigger}()`).catch(() => undefined);
      await connection.query(`DROP SEQUENCE IF EXISTS ${counter}`).catch(() => undefined);
    },
  };
}

/**
 * Makes the server itself end the connection of whoever stores the bid at
 * `partition`/`offset`, the first time only: a trigger on the test table
 * terminates its own backend, so the INSERT carrying that bid fails with the
 * driver's "connection lost" while the statements before it are kept.
 * `tries` counts the INSERTs that carried that bid.
 */
export function loseConnectionOnceWhenStoring(
  table: TestHiveTable,
  partition: number,
  offset: number,
): Promise<PlantedFault> {
  return plantInsertTrigger(
    table,
    'lose_connection',
    `IF NEW.kafka_partition = ${Math.trunc(partition)} AND NEW.kafka_offset = ${Math.trunc(offset)}
          AND nextval('$counter') = 1 THEN
         PERFORM pg_terminate_backend(pg_backend_pid());
       END IF;`,
  );
}

/**
 * Makes every INSERT of a bid from one of `partitions` fail with a
 * serialisation failure (SQLSTATE 40001), a transient refusal: the worker
 * that owns them keeps its batch in hand and backs off, retrying, until
 * `remove` is called. `tries` counts the refused rows.
 */
export function refuseTransientlyForPartitions(
  table: TestHiveTable,
  partitions: readonly number[],
): Promise<PlantedFault> {
  const list = partitions.map((partition) => String(Math.trunc(partition))).join(', ');
  return plantInsertTrigger(
    table,
    'refuse',
    `IF NEW.kafka_partition IN (${list}) THEN
         PERFORM nextval('$counter');
         RAISE EXCEPTION 'test fault: partition % refused for now', NEW.kafka_partition USING ERRCODE = '40001';
       END IF;`,
  );
}
