import { loadEnv } from '../lib/env';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { checkWebReadAccount, grantWebReadAccount, WEB_READ_TABLES } from '../lib/mysql/grantWebReadAccount';
import { migrateMysql } from '../lib/mysql/migrate';
import { createMysqlPool, pingMysql } from '../lib/mysql/pool';
import { readMysqlSettings } from '../lib/mysql/settings';
import { webReadAccountOf } from '../lib/mysql/webReadAccount';

/**
 * `npm run migrate`: brings the MySQL schema up to date and, when
 * WEB_MYSQL_URL is set, gives the web app's account SELECT on the tables it
 * reads and nothing else; safe to re-run.
 */
runMain('migrate', async () => {
  const log = createLogger('migrate');
  const env = loadEnv();
  const settings = readMysqlSettings(env, 1);
  const webAccount = webReadAccountOf(env);
  const pool = createMysqlPool(settings);
  try {
    await pingMysql(pool, settings);
    if (webAccount) await checkWebReadAccount(pool, webAccount);
    const applied = await migrateMysql(pool);
    log.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'schema already up to date');
    if (webAccount) {
      await grantWebReadAccount(pool, webAccount);
      log.info(
        { user: webAccount.user, tables: WEB_READ_TABLES },
        "the web app's account (WEB_MYSQL_URL) may read these tables and nothing else",
      );
    }
  } finally {
    await pool.end();
  }
});
