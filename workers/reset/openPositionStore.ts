import type { Env } from '../../lib/env';
import type { Logger } from '../../lib/logger';
import { readMysqlSettings } from '../../lib/mysql/settings';
import { openCsvPositions } from '../csv/csvPositions';
import { readCsvSettings } from '../csv/csvSettings';
import { openHivePositions } from '../hive/hivePositions';
import { readHiveSettings } from '../hive/hiveSettings';
import { openMysqlPositions } from '../mysql/mysqlPositions';
import type { PositionStore } from './positionStore';
import type { ResettableSink } from './resetCommand';

/** The store a sink keeps its positions in, from the same settings its worker reads. */
export async function openPositionStore(
  sink: ResettableSink,
  env: Env,
  group: string,
  log: Logger,
): Promise<PositionStore> {
  switch (sink) {
    case 'mysql':
      return openMysqlPositions(readMysqlSettings(env, 1), group);
    case 'csv':
      return openCsvPositions(readCsvSettings(env), log);
    case 'hive':
      return openHivePositions(readHiveSettings(env));
  }
}
