import { loadEnv } from '../lib/env';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { migrateMysql } from '../lib/mysql/migrate';
import { createMysqlPool, pingMysql } from '../lib/mysql/pool';
import { readMysqlSettings } from '../lib/mysql/settings';

/** `npm run migrate`: brings the MySQL schema up to date; safe to re-run. */
runMain('migrate', async () => {
  const log = createLogger('migrate');
  const settings = readMysqlSettings(loadEnv(), 1);
  const pool = createMysqlPool(settings);
  try {
    await pingMysql(pool, settings);
    const applied = await migrateMysql(pool);
    log.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'schema already up to date');
  } finally {
    await pool.end();
  }
});
