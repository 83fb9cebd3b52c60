import { urlSetting, type Env } from '../env';

/** How to reach MySQL, the system of record. */
export interface MysqlSettings {
  /** A `mysql://user:password@host:port/database` URL. */
  url: string;
  poolSize: number;
}

export function readMysqlSettings(env: Env, poolSize = 10): MysqlSettings {
  const url = urlSetting(env, 'MYSQL_URL', 'mysql://root@127.0.0.1:3306/test', ['mysql:']);
  return { url: url.toString(), poolSize };
}

/** The URL without its password, for logs and error messages. */
export function describeMysqlUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
