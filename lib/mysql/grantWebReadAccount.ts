import type mysql from 'mysql2/promise';
import { ConfigError } from '../env';
import { errorMessage } from '../errorMessage';
import type { WebReadAccount } from './webReadAccount';

/**
 * The tables the web app reads (the highest bids, an item's last bids, the
 * most active lots, the live feed's seed, the dashboard's statistics): its account may SELECT these and
 * nothing else. A migration that adds a table the web app reads adds it here.
 */
export const WEB_READ_TABLES: readonly string[] = ['bids', 'bid_windows', 'bid_window_bidders'];

/**
 * Where the account may connect from. Any host: the web app runs on other
 * machines or containers than MySQL; the password is what guards it.
 */
const ACCOUNT_HOST = '%';

/** Privileges that only read: USAGE is "no privilege" and SELECT reads. */
const READING: ReadonlySet<string> = new Set(['USAGE', 'SELECT']);

/** MySQL errors that mean MYSQL_URL's user may not create accounts or grant what the web app needs. */
const NOT_ALLOWED_ERRNOS: ReadonlySet<number> = new Set([
  1044, // ER_DBACCESS_DENIED_ERROR
  1142, // ER_TABLEACCESS_DENIED_ERROR: e.g. GRANT without the grant option
  1227, // ER_SPECIFIC_ACCESS_DENIED_ERROR: no CREATE USER privilege
  1410, // ER_CANT_CREATE_USER_WITH_GRANT
]);

/** What the account holds beyond reading, anywhere on the server: `INSERT on db.bids`, `GRANT OPTION on *.*`. */
async function privilegesBeyondReading(pool: mysql.Pool, user: string): Promise<string[]> {
  const grantee = `'${user}'@'${ACCOUNT_HOST}'`;
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    `SELECT PRIVILEGE_TYPE AS privilege, '*.*' AS target, IS_GRANTABLE AS grantable
       FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?
     UNION ALL
     SELECT PRIVILEGE_TYPE, CONCAT(TABLE_SCHEMA, '.*'), IS_GRANTABLE
       FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = ?
     UNION ALL
     SELECT PRIVILEGE_TYPE, CONCAT(TABLE_SCHEMA, '.', TABLE_NAME), IS_GRANTABLE
       FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE = ?
     UNION ALL
     SELECT PRIVILEGE_TYPE, CONCAT(TABLE_SCHEMA, '.', TABLE_NAME, '.', COLUMN_NAME), IS_GRANTABLE
       FROM information_schema.COLUMN_PRIVILEGES WHERE GRANTEE = ?`,
    [grantee, grantee, grantee, grantee],
  );
  const beyond: string[] = [];
  for (const row of rows) {
    const privilege = String(row.privilege);
    if (!READING.has(privilege)) beyond.push(`${privilege} on ${String(row.target)}`);
    if (String(row.grantable) === 'YES') beyond.push(`GRANT OPTION on ${String(row.target)}`);
  }
  return [...new Set(beyond)];
}

/**
 * Refuses an existing account that may do more than read, so that migrate
 * can stop before it changes anything: it never widens, nor silently
 * narrows, an account someone else set up.
 */
export async function checkWebReadAccount(pool: mysql.Pool, account: WebReadAccount): Promise<void> {
  const beyond = await privilegesBeyondReading(pool, account.user);
  if (beyond.length > 0) {
    throw new ConfigError(
      'WEB_MYSQL_URL',
      `names "${account.user}", which may do more than read (${beyond.join(', ')}): revoke that, or name another user for the web app`,
    );
  }
}

/**
 * Makes the web app's account exist with WEB_MYSQL_URL's password and SELECT
 * on `WEB_READ_TABLES` (which must exist: run it after the migrations). Safe
 * to re-run; `checkWebReadAccount` first.
 */
export async function grantWebReadAccount(pool: mysql.Pool, account: WebReadAccount): Promise<void> {
  try {
    await pool.query('CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?', [account.user, ACCOUNT_HOST, account.password]);
    await pool.query('ALTER USER ?@? IDENTIFIED BY ?', [account.user, ACCOUNT_HOST, account.password]);
    for (const table of WEB_READ_TABLES) {
      await pool.query('GRANT SELECT ON ??.?? TO ?@?', [account.database, table, account.user, ACCOUNT_HOST]);
    }
  } catch (error) {
    const errno = (error as { errno?: unknown }).errno;
    if (typeof errno === 'number' && NOT_ALLOWED_ERRNOS.has(errno)) {
      throw new ConfigError(
        'MYSQL_URL',
        `cannot set up the web app's account "${account.user}" (${errorMessage(error)}): migrate needs the CREATE USER privilege and SELECT with the grant option on ${WEB_READ_TABLES.join(', ')}; or unset WEB_MYSQL_URL`,
      );
    }
    throw error;
  }
}
