import { tableDdl } from '../../workers/hive/hiveDdl';
import type { TestHiveTable } from './hiveBids';

/** A fault planted in the local PostgreSQL data source, removed by `remove`. */
export interface PlantedFault {
  /** How many INSERTs have carried the chosen bid so far; only the first lost its connection. */
  tries(): Promise<number>;
  remove(): Promise<void>;
}

/**
 * Makes the server itself end the connection of whoever stores the bid at
 * `partition`/`offset`, the first time only: a trigger on the test table
 * terminates its own backend, so the INSERT carrying that bid fails with the
 * driver's "connection lost" while the statements before it are kept. The
 * table is created first (as the worker would) so the trigger has a home.
 */
export async function loseConnectionOnceWhenStoring(
  table: TestHiveTable,
  partition: number,
  offset: number,
): Promise<PlantedFault> {
  const { connection, name } = table;
  for (const statement of tableDdl('postgresql', name)) await connection.query(statement);
  await connection.query(`CREATE SEQUENCE ${name}_tries`);
  await connection.query(
    `CREATE FUNCTION ${name}_lose_connection() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.kafka_partition = ${partition} AND NEW.kafka_offset = ${offset} AND nextval('${name}_tries') = 1 THEN
         PERFORM pg_terminate_backend(pg_backend_pid());
       END IF;
       RETURN NEW;
     END $$`,
  );
  await connection.query(
    `CREATE TRIGGER ${name}_lose_connection BEFORE INSERT ON ${name} FOR EACH ROW EXECUTE FUNCTION ${name}_lose_connection()`,
  );
  return {
    async tries() {
      const rows = await connection.query<{ last_value: unknown; is_called: unknown }>(
        `SELECT last_value, is_called FROM ${name}_tries`,
      );
      const row = rows[0];
      return row && (row.is_called === true || row.is_called === 1 || row.is_called === '1')
        ? Number(row.last_value)
        : 0;
    },
    async remove() {
      await connection.query(`DROP TRIGGER IF EXISTS ${name}_lose_connection ON ${name}`).catch(() => undefined);
      await connection.query(`DROP FUNCTION IF EXISTS ${name}_lose_connection()`).catch(() => undefined);
      await connection.query(`DROP SEQUENCE IF EXISTS ${name}_tries`).catch(() => undefined);
    },
  };
}

/**
 * Makes every INSERT of a bid from one of `partitions` fail with a
 * serialisation failure (SQLSTATE 40001), a transient refusal: the worker
 * that owns them keeps its batch in hand and backs off, retrying, until
 * `remove` is called.
 */
export async function refuseTransientlyForPartitions(
  table: TestHiveTable,
  partitions: readonly number[],
): Promise<PlantedFault> {
  const { connection, name } = table;
  for (const statement of tableDdl('postgresql', name)) await connection.query(statement);
  const list = partitions.map((partition) => String(Math.trunc(partition))).join(', ');
  await connection.query(`CREATE SEQUENCE ${name}_refusals`);
  await connection.query(
    `CREATE FUNCTION ${name}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.kafka_partition IN (${list}) THEN
         PERFORM nextval('${name}_refusals');
         RAISE EXCEPTION 'test fault: partition % refused for now', NEW.kafka_partition USING ERRCODE = '40001';
       END IF;
       RETURN NEW;
     END $$`,
  );
  await connection.query(
    `CREATE TRIGGER ${name}_refuse BEFORE INSERT ON ${name} FOR EACH ROW EXECUTE FUNCTION ${name}_refuse()`,
  );
  return {
    async tries() {
      const rows = await connection.query<{ last_value: unknown }>(`SELECT last_value FROM ${name}_refusals`);
      return Number(rows[0]?.last_value ?? 0);
    },
    async remove() {
      await connection.query(`DROP TRIGGER IF EXISTS ${name}_refuse ON ${name}`).catch(() => undefined);
      await connection.query(`DROP FUNCTION IF EXISTS ${name}_refuse()`).catch(() => undefined);
      await connection.query(`DROP SEQUENCE IF EXISTS ${name}_refusals`).catch(() => undefined);
    },
  };
}
