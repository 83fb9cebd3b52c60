import type { PoolConnection, RowDataPacket } from 'mysql2';
import type mysql from 'mysql2/promise';
import type { Counter } from 'prom-client';
import { errorMessage } from '../lib/errorMessage';
import { MysqlReadError } from './readUnavailable';

/** The reads the web app makes, as `web_mysql_queries_total{read}` counts them. */
export type ReadName = 'highest_overall' | 'highest_item' | 'recent_bids' | 'active_lots' | 'dashboard' | 'readiness';

/** What mysql2's pool says when `queueLimit` requests already wait for a connection (it sets no code). */
const QUEUE_FULL_MESSAGE = 'Queue limit reached.';

/** How the reader counts: queries sent, and reads that got no answer by reason. */
export interface ReaderMetrics {
  queries: Counter<'read'>;
  unavailable: Counter<'reason'>;
}

/**
 * The web app's reads from MySQL, each bounded in time: waiting for a free
 * connection (in the pool's bounded queue; a full queue refuses at once) and
 * the query itself must end within `timeoutMs`, or the read fails with
 * reason `timeout`. A query that outlives its deadline keeps its connection
 * until MySQL finishes it (the connection is busy until then), so a stalled
 * server costs at most the pool's connections, never a new one per request.
 */
export class MysqlReader {
  private readonly pool: mysql.Pool['pool'];

  constructor(
    pool: mysql.Pool,
    private readonly timeoutMs: number,
    private readonly metrics: ReaderMetrics,
  ) {
    // The callback pool under the promise one: its query command says when MySQL is done with a connection.
    this.pool = pool.pool;
  }

  query(read: ReadName, sql: string, values: (string | number)[] = []): Promise<RowDataPacket[]> {
    return new Promise<RowDataPacket[]>((resolve, reject) => {
      let settled = false;
      const fail = (error: MysqlReadError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        this.metrics.unavailable.inc({ reason: error.reason });
        reject(error);
      };
      const deadline = setTimeout(
        () => fail(new MysqlReadError('timeout', `MySQL did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.pool.getConnection((error, connection: PoolConnection) => {
        if (error) {
          fail(
            error.message === QUEUE_FULL_MESSAGE
              ? new MysqlReadError('busy', 'too many reads already wait for a MySQL connection (MYSQL_QUEUE_LIMIT)')
              : new MysqlReadError('unreachable', errorMessage(error), { cause: error }),
          );
          return;
        }
        if (settled) {
          // The deadline passed while this read waited for the connection: nobody wants its answer.
          connection.release();
          return;
        }
        this.metrics.queries.inc({ read });
        const command = connection.query<RowDataPacket[]>(sql, values, (queryError, rows) => {
          if (queryError) {
            fail(new MysqlReadError('unreachable', errorMessage(queryError), { cause: queryError }));
            return;
          }
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          resolve(rows);
        });
        command.once('end', () => connection.release());
      });
    });
  }
}
