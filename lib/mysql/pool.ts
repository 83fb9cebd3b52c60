import mysql from 'mysql2/promise';
import { describeMysqlUrl, type MysqlSettings } from './settings';
import { errorMessage } from '../errorMessage';

/**
 * One connection pool per process. Timestamps travel as UTC text and
 * DATETIME(3) columns are read back as strings, so nothing is shifted by the
 * server's or the process's time zone.
 */
export function createMysqlPool(settings: MysqlSettings): mysql.Pool {
  return mysql.createPool({
    uri: settings.url,
    connectionLimit: settings.poolSize,
    waitForConnections: true,
    queueLimit: 0,
    timezone: 'Z',
    dateStrings: true,
    connectTimeout: 5_000,
    enableKeepAlive: true,
    supportBigNumbers: true,
  });
}

/** Checks the server answers; the error names the (password-free) URL. */
export async function pingMysql(pool: mysql.Pool, settings: MysqlSettings): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    const detail = errorMessage(error);
    throw new Error(`cannot reach MySQL at ${describeMysqlUrl(settings.url)}: ${detail}`);
  }
}
