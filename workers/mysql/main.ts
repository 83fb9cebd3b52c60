import { runSinkWorker } from '../runtime/runSinkWorker';
import { createMysqlSink } from './mysqlSink';

runSinkWorker('mysql', createMysqlSink);
