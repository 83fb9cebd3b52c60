import type { Logger } from '../../lib/logger';
import { advanceCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint';
import type { CsvSettings } from './csvSettings';
import { WriterLock } from './writerLock';
import type { PositionStore } from '../reset/positionStore';

/**
 * The positions in the CSV export's checkpoint, for `sink:reset`. The file's
 * confirmed length (`bytes`) is kept as it is: only where each partition
 * resumes changes, written atomically like every checkpoint. Moving back
 * appends the records in between to the file again; to export from scratch,
 * move the file and its checkpoint away instead.
 *
 * The reset holds the CSV writer lock while it runs, like a worker, so a CSV
 * worker started meanwhile stands by until the reset is done.
 */
export function openCsvPositions(settings: CsvSettings, log: Logger): PositionStore {
  const checkpointFile = `${settings.path}.checkpoint.json`;
  const lock = new WriterLock(`${settings.path}.lock`, log);

  async function stored() {
    const checkpoint = await readCheckpoint(checkpointFile);
    if (checkpoint === undefined) {
      throw new Error(
        `the CSV export ${settings.path} has no checkpoint (${checkpointFile}) yet: ` +
          'a worker that has never run reads from the start anyway; start it once before moving its positions',
      );
    }
    return checkpoint;
  }

  return {
    async read(topic, partitions) {
      const positions = (await stored()).positions[topic] ?? {};
      const answer = new Map<number, number>();
      for (const partition of partitions) {
        const next = positions[String(partition)];
        if (next !== undefined) answer.set(partition, next);
      }
      return answer;
    },

    async write(topic, positions) {
      if (!lock.isHeld) throw new Error('the CSV writer lock must be held to move the checkpoint');
      const checkpoint = await stored();
      await writeCheckpoint(checkpointFile, advanceCheckpoint(checkpoint, checkpoint.bytes, topic, positions));
    },

    async excludeWriters() {
      const attempt = await lock.tryTake();
      return attempt.taken ? undefined : `a CSV worker holds the writer lock ${settings.path}.lock (${attempt.holder})`;
    },

    async close() {
      await lock.release();
    },
  };
}
