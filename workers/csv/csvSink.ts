import fs from 'node:fs/promises';
import path from 'node:path';
import type { SinkContext } from '../runtime/sinkContext';
import { malformedTextOf } from '../runtime/malformedText';
import { StoreRefusedError, TransientSinkError, type Sink, type SinkBatch } from '../runtime/sink';
import { advanceCheckpoint, EMPTY_CHECKPOINT, readCheckpoint, writeCheckpoint, type CsvCheckpoint } from './checkpoint';
import { CSV_HEADER, csvRow, csvText } from './csvFormat';
import { readCsvSettings } from './csvSettings';
import { WriterLock } from './writerLock';

/** File-system failures that can pass (a full or flaky disk): waited out, never skipped. */
const TRANSIENT_FILE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'EINTR']);

function asTransient(error: unknown, doing: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code && TRANSIENT_FILE_ERRORS.has(code)) {
    return new TransientSinkError(`${doing}: ${(error as Error).message}`, { cause: error });
  }
  return error;
}

/**
 * The CSV export: one file for spreadsheets, pandas and other tools, always a
 * valid CSV with one header, every bid exactly once.
 *
 * A batch is appended at the checkpoint's byte length and fsynced; only then
 * is the checkpoint (file length + next offsets) replaced atomically. A crash
 * anywhere leaves the file's confirmed prefix intact and at most a tail that
 * no checkpoint covers; `start` cuts that tail and `open` resumes from the
 * checkpoint's offsets, so the cut bids are read again and written once.
 */
export function createCsvSink(context: SinkContext): Sink {
  const { env, log } = context;
  const settings = readCsvSettings(env);
  const checkpointFile = `${settings.path}.checkpoint.json`;
  const lock = new WriterLock(`${settings.path}.lock`, log);
  let file: fs.FileHandle | undefined;
  let checkpoint: CsvCheckpoint = EMPTY_CHECKPOINT;
  // The topic named by `open`: a batch of dead letters only has positions
  // and no record to say which topic they belong to.
  let topic: string | undefined;

  /** Cuts anything past the confirmed prefix, and writes the header into an empty file. */
  async function recover(handle: fs.FileHandle): Promise<void> {
    const size = (await handle.stat()).size;
    const stored = await readCheckpoint(checkpointFile);
    if (stored === undefined) {
      const text = size === 0 ? '' : await readPrefix(handle, Math.min(size, CSV_HEADER.length + 1));
      if (size > 0 && !CSV_HEADER.startsWith(text)) {
        throw new Error(
          `${settings.path} holds rows but has no checkpoint (${checkpointFile}) saying how much of it is complete; ` +
            'move the file away to start a new export',
        );
      }
      // A new file, or one whose header was being written when the worker died.
      await handle.truncate(0);
      await handle.write(CSV_HEADER, 0, 'utf8');
      await handle.sync();
      checkpoint = { ...EMPTY_CHECKPOINT, bytes: Buffer.byteLength(CSV_HEADER) };
      await writeCheckpoint(checkpointFile, checkpoint);
      log.info({ file: settings.path }, 'CSV export started with its header');
      return;
    }
    if (size < stored.bytes) {
      throw new Error(
        `${settings.path} is shorter (${size} bytes) than its checkpoint says was written (${stored.bytes}); ` +
          'it was truncated or replaced: move it and its checkpoint away to start a new export',
      );
    }
    if (size > stored.bytes) {
      await handle.truncate(stored.bytes);
      await handle.sync();
      log.warn(
        { file: settings.path, cutBytes: size - stored.bytes },
        'cut an unconfirmed tail left by a crash; those bids are read again',
      );
    }
    checkpoint = stored;
  }

  return {
    name: 'csv',
    batching: { maxRecords: 5_000, lingerMs: 200 },

    async start() {
      await fs.mkdir(path.dirname(settings.path), { recursive: true });
      await lock.acquire();
      // Not opened for appending: writes below give their position
      // explicitly, so they land at the checkpoint, not at the end.
      const handle = await fs.open(settings.path, 'r+').catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
        return fs.open(settings.path, 'w+');
      });
      file = handle;
      await recover(handle);
      log.info({ file: settings.path, bytes: checkpoint.bytes }, 'CSV export ready');
    },

    async open(assignedTopic, partitions) {
      topic = assignedTopic;
      const stored = checkpoint.positions[assignedTopic] ?? {};
      const answer = new Map<number, number>();
      for (const partition of partitions) {
        const next = stored[String(partition)];
        if (next !== undefined) answer.set(partition, next);
      }
      return answer;
    },

    async write(batch: SinkBatch) {
      if (!file || topic === undefined) throw new Error('the CSV sink was written to before it was started and opened');
      // The file is UTF-8: a lone surrogate would be written as U+FFFD, a
      // value different from the topic's. Refused, so it is dead-lettered.
      const malformed = malformedTextOf(batch.records);
      if (malformed.length > 0) {
        const fields = [...new Set(malformed.map(({ field }) => field))].join(' and ');
        throw new StoreRefusedError(`the CSV export is UTF-8 and cannot hold a lone surrogate in ${fields} unaltered`, [
          ...new Set(malformed.map(({ record }) => record)),
        ]);
      }
      const text = csvText(batch.records.map(csvRow));
      const bytes = Buffer.from(text, 'utf8');
      try {
        // Writing at the confirmed length (not appending) makes a retry after
        // a failed write overwrite its own partial bytes.
        let written = 0;
        while (written < bytes.length) {
          const { bytesWritten } = await file.write(bytes, written, bytes.length - written, checkpoint.bytes + written);
          written += bytesWritten;
        }
        await file.truncate(checkpoint.bytes + bytes.length);
        await file.datasync();
      } catch (error) {
        throw asTransient(error, `cannot append to ${settings.path}`);
      }
      const next = advanceCheckpoint(checkpoint, checkpoint.bytes + bytes.length, topic, batch.positions);
      try {
        await writeCheckpoint(checkpointFile, next);
      } catch (error) {
        throw asTransient(error, `cannot write the checkpoint ${checkpointFile}`);
      }
      checkpoint = next;
    },

    async close() {
      // Positions live in the checkpoint, written with every batch: nothing to flush.
    },

    async stop() {
      await file?.close();
      file = undefined;
      await lock.release();
    },
  };
}

async function readPrefix(handle: fs.FileHandle, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, 0);
  return buffer.subarray(0, bytesRead).toString('utf8');
}
