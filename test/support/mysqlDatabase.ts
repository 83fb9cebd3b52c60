import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { loadEnv } from '../../lib/env';
import { migrateMysql } from '../../lib/mysql/migrate';
import { createMysqlPool } from '../../lib/mysql/pool';
import { readMysqlSettings } from '../../lib/mysql/settings';

export interface TestDatabase {
  /** A MYSQL_URL for the fresh database. */
  url: string;
  pool: mysql.Pool;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated MySQL database on the real server, for one test file,
 * so tests never see each other's rows. `drop()` removes it.
 */
export async function createTestDatabase(prefix = 'test_auction'): Promise<TestDatabase> {
  const base = new URL(readMysqlSettings(loadEnv()).url);
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = await mysql.createConnection({ uri: base.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  const pool = createMysqlPool({ url: url.toString(), poolSize: 4 });
  await migrateMysql(pool);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const cleanup = await mysql.createConnection({ uri: base.toString() });
      await cleanup.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await cleanup.end();
    },
  };
}
