import { loadEnv } from '../lib/env';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { checkWebReadAccount, grantWebReadAccount, WEB_READ_TABLES } from '../lib/mysql/grantWebReadAccount';
import { migrateMysql } from '../lib/mysql/migrate';
import { createMysqlPool, pingMysql } from '../lib/mysql/pool';
import { readMysqlSettings } from '../lib/mysql/settings';
import { webReadAccountOf } from '../lib/mysql/webReadAccount';
import { migrateHiveTables } from '../workers/hive/hiveMigration';
import { readHiveSettings } from '../workers/hive/hiveSettings';

/** `-- --hive`: also the Hive sink's tables, over HIVE_ODBC_CONNECTION_STRING. */
const HIVE = '--hive';

/**
 * `npm run migrate`: brings the MySQL schema up to date and, when
 * WEB_MYSQL_URL is set, gives the web app's account SELECT on the tables it
 * reads and nothing else; with `-- --hive`, also creates or upgrades the Hive
 * sink's tables (workers/hive/hiveMigration.ts); safe to re-run.
 */
runMain('migrate', async () => {
  const log = createLogger('migrate');
  const env = loadEnv();
  const settings = readMysqlSettings(env, 1);
  const webAccount = webReadAccountOf(env);
  const unknown = process.argv.slice(2).filter((arg) => arg !== HIVE);
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}; the only one is ${HIVE}`);
  const hive = process.argv.includes(HIVE) ? readHiveSettings(env) : undefined;
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
  if (hive) {
    await migrateHiveTables(hive);
    log.info({ table: hive.table, dialect: hive.dialect }, 'Hive tables up to date');
  }
});
