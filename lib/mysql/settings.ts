import { optionalSetting, urlSetting, type Env } from '../env';

/** How to reach MySQL, the system of record. */
export interface MysqlSettings {
  /** A `mysql://user:password@host:port/database` URL. */
  url: string;
  poolSize: number;
  /** The variable the URL came from, named when the server refuses it. */
  variable: 'MYSQL_URL' | 'WEB_MYSQL_URL';
}

const LOCAL_MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

/** MYSQL_URL: what migrate, the MySQL sink and `sink:reset` connect with. */
export function readMysqlSettings(env: Env, poolSize = 10): MysqlSettings {
  const url = urlSetting(env, 'MYSQL_URL', LOCAL_MYSQL_URL, ['mysql:']);
  return { url: url.toString(), poolSize, variable: 'MYSQL_URL' };
}

/**
 * What the web app reads MySQL with: WEB_MYSQL_URL, an account that may only
 * read (`npm run migrate` creates it), or MYSQL_URL when WEB_MYSQL_URL is
 * unset, as on the local stack.
 */
export function readWebMysqlSettings(env: Env, poolSize = 10): MysqlSettings {
  if (optionalSetting(env, 'WEB_MYSQL_URL') === undefined) return readMysqlSettings(env, poolSize);
  const url = urlSetting(env, 'WEB_MYSQL_URL', LOCAL_MYSQL_URL, ['mysql:']);
  return { url: url.toString(), poolSize, variable: 'WEB_MYSQL_URL' };
}

/** The URL without its password, for logs and error messages. */
export function describeMysqlUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
