import { runSinkWorker } from '../runtime/runSinkWorker';
import { createCsvSink } from './csvSink';

runSinkWorker('csv', createCsvSink);
