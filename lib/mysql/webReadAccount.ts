import { ConfigError, optionalSetting, type Env } from '../env';
import { readMysqlSettings, readWebMysqlSettings } from './settings';

/** The MySQL account the web app reads with, as `npm run migrate` provides it. */
export interface WebReadAccount {
  user: string;
  password: string;
  /** The database MYSQL_URL migrates: the account may read its tables the web app reads. */
  database: string;
}

/** MySQL's longest user name (MariaDB allows more; MySQL 8 does not). */
const MAX_USER_LENGTH = 32;

function databaseOf(url: URL): string {
  return decodeURIComponent(url.pathname.replace(/^\//, ''));
}

/**
 * The account WEB_MYSQL_URL names, for migrate to create; undefined when
 * WEB_MYSQL_URL is unset (the web app then reads with MYSQL_URL). Refused:
 * the user MYSQL_URL migrates with (migrate would leave the web app with its
 * rights), another database than MYSQL_URL's, no password, or a user name
 * other than letters, digits and underscores.
 */
export function webReadAccountOf(env: Env): WebReadAccount | undefined {
  if (optionalSetting(env, 'WEB_MYSQL_URL') === undefined) return undefined;
  const web = new URL(readWebMysqlSettings(env).url);
  const migrating = new URL(readMysqlSettings(env).url);
  const user = decodeURIComponent(web.username);
  if (!/^\w+$/.test(user)) {
    throw new ConfigError('WEB_MYSQL_URL', 'must name a user made of letters, digits and underscores only');
  }
  if (user.length > MAX_USER_LENGTH) {
    throw new ConfigError('WEB_MYSQL_URL', `must name a user of at most ${MAX_USER_LENGTH} characters, got "${user}"`);
  }
  if (user === decodeURIComponent(migrating.username)) {
    throw new ConfigError(
      'WEB_MYSQL_URL',
      `names the user MYSQL_URL migrates with ("${user}"); name a user of its own for the web app to read with, or unset WEB_MYSQL_URL`,
    );
  }
  const database = databaseOf(web);
  if (database !== databaseOf(migrating)) {
    throw new ConfigError(
      'WEB_MYSQL_URL',
      `names the database "${database}", but MYSQL_URL migrates "${databaseOf(migrating)}": they must be the same`,
    );
  }
  if (web.password === '') {
    throw new ConfigError(
      'WEB_MYSQL_URL',
      `needs a password for "${user}" (mysql://${user}:password@host:port/${database})`,
    );
  }
  return { user, password: decodeURIComponent(web.password), database };
}
