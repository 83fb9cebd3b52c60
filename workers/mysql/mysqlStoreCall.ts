import type mysql from 'mysql2/promise';
import { ConfigError } from '../../lib/env';
import { errorMessage } from '../../lib/errorMessage';
import { isTransientMysqlError } from '../../lib/mysql/transientMysqlError';
import { StoreRefusedError, TransientSinkError } from '../runtime/sink';
import { mysqlRefusalOf } from './mysqlRefusal';

/**
 * Runs a call on a sink's MySQL store and says what its failure means for
 * the runtime: wait (TransientSinkError), park the refused record
 * (StoreRefusedError), or stop naming the setting (ConfigError). `sink`
 * names the worker in the messages ("the MySQL sink").
 */
export async function mysqlStoreCall<T>(sink: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isTransientMysqlError(error)) {
      throw new TransientSinkError(`MySQL: ${errorMessage(error)}`);
    }
    const refusal = mysqlRefusalOf(error);
    if (refusal === 'data') throw new StoreRefusedError(`MySQL refused the bids: ${errorMessage(error)}`);
    if (refusal === 'configuration') {
      throw new ConfigError('MYSQL_URL', `names a database ${sink} cannot write: ${errorMessage(error)}`);
    }
    throw error;
  }
}

/**
 * Runs `work` in one transaction on a connection of its own and commits it.
 * On failure the transaction is rolled back and the connection is not handed
 * out again (it may have failed mid-transaction).
 */
export async function inMysqlTransaction<T>(
  pool: mysql.Pool,
  work: (connection: mysql.PoolConnection) => Promise<T>,
): Promise<T> {
  const connection = await pool.getConnection();
  let result: T;
  try {
    await connection.beginTransaction();
    result = await work(connection);
    await connection.commit();
  } catch (error) {
    await connection.rollback().catch(() => undefined);
    connection.destroy();
    throw error;
  }
  connection.release();
  return result;
}
