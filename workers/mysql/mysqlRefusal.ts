/**
 * MySQL errors that are not worth waiting out, sorted by whose fault they
 * are (codes checked against MariaDB 10.11 and MySQL 8):
 *
 * - `data`: the server refuses a value as data, in strict SQL mode. The same
 *   rows fail the same way again, and other rows would succeed, so the batch
 *   is refused (`StoreRefusedError`) and the runtime parks the culprit.
 * - `configuration`: the database the URL names is not usable as the sink's
 *   store (no such database or table, no permission). Every batch would fail
 *   the same way: the worker stops, naming MYSQL_URL.
 */
export type MysqlRefusal = 'data' | 'configuration';

const DATA_ERRNOS: ReadonlySet<number> = new Set([
  1048, // ER_BAD_NULL_ERROR: column cannot be null
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1265, // WARN_DATA_TRUNCATED
  1292, // ER_TRUNCATED_WRONG_VALUE: an impossible date or time
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD: e.g. a string the column's character set cannot hold
  1406, // ER_DATA_TOO_LONG
  1452, // ER_NO_REFERENCED_ROW_2: a foreign key the row breaks
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL 8)
  4025, // ER_CONSTRAINT_FAILED (MariaDB's CHECK constraint)
]);

const CONFIGURATION_ERRNOS: ReadonlySet<number> = new Set([
  1044, // ER_DBACCESS_DENIED_ERROR
  1045, // ER_ACCESS_DENIED_ERROR
  1049, // ER_BAD_DB_ERROR
  1054, // ER_BAD_FIELD_ERROR: a table of another shape than the migrations make
  1142, // ER_TABLEACCESS_DENIED_ERROR
  1143, // ER_COLUMNACCESS_DENIED_ERROR
  1146, // ER_NO_SUCH_TABLE
]);

export function mysqlRefusalOf(error: unknown): MysqlRefusal | undefined {
  if (!error || typeof error !== 'object' || !('errno' in error) || typeof error.errno !== 'number') return undefined;
  if (DATA_ERRNOS.has(error.errno)) return 'data';
  if (CONFIGURATION_ERRNOS.has(error.errno)) return 'configuration';
  return undefined;
}
