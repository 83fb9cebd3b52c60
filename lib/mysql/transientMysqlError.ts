/**
 * MySQL error codes a batch should wait out: the server is unreachable or
 * went away, a connection was reset, or InnoDB gave up on a lock and rolled
 * the transaction back. Everything else (a bad column, a full disk reported
 * as an SQL error, a permission) will fail the same way again.
 */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
]);

/** CR_SERVER_GONE_ERROR, CR_SERVER_LOST, ER_CONNECTION_KILLED, shutdown in progress, deadlock, lock wait timeout. */
const TRANSIENT_ERRNOS: ReadonlySet<number> = new Set([2006, 2013, 1927, 1053, 1213, 1205, 1040]);

export function isTransientMysqlError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, errno, fatal } = error as { code?: unknown; errno?: unknown; fatal?: unknown };
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  if (typeof errno === 'number' && TRANSIENT_ERRNOS.has(errno)) return true;
  // mysql2 marks errors that killed the connection as fatal: the connection, not the SQL, failed.
  if (fatal === true) return true;
  // A pool that cannot open a connection reports the connect timeout without a code.
  return error instanceof Error && /connect ETIMEDOUT|Connection lost|closed state/i.test(error.message);
}
