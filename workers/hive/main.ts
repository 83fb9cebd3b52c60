import { runSinkWorker } from '../runtime/runSinkWorker';
import { createHiveSink } from './hiveSink';

runSinkWorker('hive', createHiveSink);
