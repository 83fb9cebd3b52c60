import { runSinkWorker } from '../runtime/runSinkWorker';
import { createStatsSink } from './statsSink';

runSinkWorker('stats', createStatsSink);
