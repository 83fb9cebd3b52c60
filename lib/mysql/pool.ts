import mysql from 'mysql2/promise';
import { ConfigError } from '../env';
import { describeMysqlUrl, type MysqlSettings } from './settings';
import { errorMessage } from '../errorMessage';

/**
 * The SQL mode of every session: a value a column cannot hold is an error,
 * never a warning with a converted or zero value stored instead (a truncated
 * name, `0000-00-00 00:00:00`). Set per connection, since the server's
 * default differs between MySQL, MariaDB and their configurations.
 */
export const STRICT_SQL_MODE =
  'STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** The part of mysql2's callback-style connection the 'connection' event listener uses. */
interface CallbackConnection {
  query(sql: string, callback: (error: Error | null) => void): void;
  destroy(): void;
}

/**
 * Connection errors that no retry fixes: the credentials, the database name,
 * the permission. MariaDB answers 1698 rather than 1045 for a user it does
 * not know (a WEB_MYSQL_URL whose account migrate has not created yet).
 */
const CONFIGURATION_ERRNOS: ReadonlySet<number> = new Set([1044, 1045, 1049, 1698]);

/**
 * One connection pool per process. Timestamps travel as UTC text and
 * DATETIME(3) columns are read back as strings, so nothing is shifted by the
 * server's or the process's time zone. Every new connection runs in
 * `STRICT_SQL_MODE` before anything else is sent on it.
 *
 * `queueLimit`: requests that may wait for a free connection; one more
 * fails at once with "Queue limit reached.". 0 (no limit) suits a worker,
 * whose queries wait on each other anyway; the web app, serving any number
 * of clients, sets one.
 */
export function createMysqlPool(
  settings: Pick<MysqlSettings, 'url' | 'poolSize'>,
  { queueLimit = 0 }: { queueLimit?: number } = {},
): mysql.Pool {
  const pool = mysql.createPool({
    uri: settings.url,
    connectionLimit: settings.poolSize,
    waitForConnections: true,
    queueLimit,
    timezone: 'Z',
    dateStrings: true,
    connectTimeout: 5_000,
    enableKeepAlive: true,
    supportBigNumbers: true,
  });
  // Commands on one connection run in order, so this SET precedes the first
  // query of whoever asked for the connection. A connection that cannot be
  // made strict is not used: its next query fails and is retried on another.
  pool.on('connection', (connection) => {
    // mysql2 hands this event its callback-style connection, whatever the promise typings say.
    const core = connection as unknown as CallbackConnection;
    core.query(`SET SESSION sql_mode = '${STRICT_SQL_MODE}'`, (error) => {
      if (error) core.destroy();
    });
  });
  return pool;
}

/** Checks the server answers; the error names the (password-free) URL, and its variable when it is the URL's fault. */
export async function pingMysql(pool: mysql.Pool, settings: MysqlSettings): Promise<void> {
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    const detail = errorMessage(error);
    const errno = (error as { errno?: unknown }).errno;
    if (typeof errno === 'number' && CONFIGURATION_ERRNOS.has(errno)) {
      throw new ConfigError(
        settings.variable,
        `is refused by the server at ${describeMysqlUrl(settings.url)}: ${detail}`,
      );
    }
    throw new Error(`cannot reach MySQL at ${describeMysqlUrl(settings.url)}: ${detail}`, { cause: error });
  }
}
