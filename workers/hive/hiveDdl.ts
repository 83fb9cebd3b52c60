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
