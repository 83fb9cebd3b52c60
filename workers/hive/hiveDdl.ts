import fs from 'node:fs';
import { fromRoot } from '../../lib/paths';
import type { HiveSqlDialect } from './hiveSettings';

const DDL_FILES: Readonly<Record<HiveSqlDialect, string>> = {
  hive: 'bids.hql',
  postgresql: 'bids.postgresql.sql',
};

/**
 * The statements of a DDL script with `${hivevar:table}` replaced by the
 * table name (checked by the settings to be a plain identifier): comments
 * dropped, split at each `;` that ends a line.
 */
export function ddlStatements(script: string, table: string): string[] {
  return script
    .split('\n')
    .filter((line) => !/^\s*--/.test(line))
    .join('\n')
    .replaceAll('${hivevar:table}', table)
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== '');
}

/** The statements of `sql/hive/` that create the bids and positions tables in this dialect. */
export function tableDdl(dialect: HiveSqlDialect, table: string): string[] {
  return ddlStatements(fs.readFileSync(fromRoot('sql', 'hive', DDL_FILES[dialect]), 'utf8'), table);
}

/** Something that runs SQL and returns rows: an ODBC connection. */
export interface SqlRunner {
  query<T>(sql: string, params?: (string | number)[]): Promise<T[]>;
}

/**
 * `ALTER TABLE … ADD COLUMNS` for a Hive table created before its columns
 * `reset_generation` or `extra` existed; Hive has no `ADD COLUMN IF NOT EXISTS`, so the
 * columns `DESCRIBE` listed decide. `CASCADE` updates the existing partitions'
 * metadata as well. (The PostgreSQL script upgrades itself.)
 */
export function hiveColumnUpgrades(
  table: string,
  bidColumns: readonly string[],
  positionColumns: readonly string[],
): string[] {
  const upgrades: string[] = [];
  if (!bidColumns.includes('reset_generation')) {
    upgrades.push(`ALTER TABLE ${table} ADD COLUMNS (reset_generation INT) CASCADE`);
  }
  if (!positionColumns.includes('reset_generation')) {
    upgrades.push(`ALTER TABLE ${table}_positions ADD COLUMNS (reset_generation INT)`);
  }
  if (!bidColumns.includes('extra')) {
    upgrades.push(`ALTER TABLE ${table} ADD COLUMNS (extra STRING) CASCADE`);
  }
  return upgrades;
}

/** The column names `DESCRIBE <table>` lists (Hive: the first column of each row). */
async function describedColumns(db: SqlRunner, table: string): Promise<string[]> {
  const rows = await db.query<Record<string, unknown>>(`DESCRIBE ${table}`);
  return rows.map((row) => String(row.col_name ?? Object.values(row)[0] ?? '').trim());
}

/** Creates the bids and positions tables if missing and brings older ones up to date. */
export async function prepareTables(db: SqlRunner, dialect: HiveSqlDialect, table: string): Promise<void> {
  for (const statement of tableDdl(dialect, table)) await db.query(statement);
  if (dialect !== 'hive') return;
  const upgrades = hiveColumnUpgrades(
    table,
    await describedColumns(db, table),
    await describedColumns(db, `${table}_positions`),
  );
  for (const statement of upgrades) await db.query(statement);
}
