import { runSinkWorker } from '../runtime/runSinkWorker';
import { createMysqlSink } from './mysqlSink';

runSinkWorker(createMysqlSink);
