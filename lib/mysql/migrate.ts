import fs from 'node:fs';
import path from 'node:path';
import type mysql from 'mysql2/promise';
import { fromRoot } from '../paths';

export const MYSQL_MIGRATIONS_DIR = fromRoot('sql', 'mysql');

/** The migration files, in the order they apply (their names sort by number). */
export function listMigrations(dir = MYSQL_MIGRATIONS_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort();
}

/**
 * Applies each `sql/mysql/*.sql` file not applied before, in order, and
 * records it in `schema_migrations`. Safe to re-run: applied files are
 * skipped. A file holds one statement (MySQL DDL commits implicitly, so a
 * file of several could half-apply).
 */
export async function migrateMysql(pool: mysql.Pool, dir = MYSQL_MIGRATIONS_DIR): Promise<string[]> {
  await pool.query(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
       name VARCHAR(255) CHARACTER SET ascii NOT NULL PRIMARY KEY,
       applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
     ) ENGINE = InnoDB`,
  );
  const [rows] = await pool.query<mysql.RowDataPacket[]>('SELECT name FROM schema_migrations');
  const applied = new Set(rows.map((row) => String(row.name)));
  const newlyApplied: string[] = [];
  for (const file of listMigrations(dir)) {
    if (applied.has(file)) continue;
    await pool.query(fs.readFileSync(path.join(dir, file), 'utf8'));
    await pool.query('INSERT INTO schema_migrations (name) VALUES (?)', [file]);
    newlyApplied.push(file);
  }
  return newlyApplied;
}
