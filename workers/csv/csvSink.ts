import fs from 'node:fs/promises';
import path from 'node:path';
import type { SinkContext } from '../runtime/sinkContext';
import { malformedTextOf } from '../runtime/malformedText';
import { StoreRefusedError, TransientSinkError, type Sink, type SinkBatch, type SinkRecord } from '../runtime/sink';
import { advanceCheckpoint, EMPTY_CHECKPOINT, readCheckpoint, writeCheckpoint, type CsvCheckpoint } from './checkpoint';
import { csvText } from './csvFormat';
import { csvLayout } from './csvLayout';
import { nextFileName } from './exportFileName';
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
 * The CSV export: files for spreadsheets, pandas and other tools, each
 * always a valid CSV with one header, every bid exactly once across them.
 *
 * A batch is appended at the checkpoint's byte length and fsynced; only then
 * is the checkpoint (file name, length, next offsets) replaced atomically. A
 * crash anywhere leaves the file's confirmed prefix intact and at most a
 * tail that no checkpoint covers; `start` cuts that tail and `open` resumes
 * from the checkpoint's offsets, so the cut bids are read again and written
 * once.
 *
 * A file never changes its columns. The first file is CSV_PATH; a worker
 * whose columns (`csvLayout`: the fields its bid schema knows) differ from
 * the header of the file being written starts a new one beside it, named
 * `<name>.<UTC start time>.<ext>` (`bids.20261123T171500Z.csv`), and the old
 * one is complete as it stands. The checkpoint names the new file, with 0
 * bytes, before the file is made, so a crash part-way leaves a checkpoint
 * that finishes the same file on restart.
 */
export function createCsvSink(context: SinkContext): Sink {
  const { env, log } = context;
  const settings = readCsvSettings(env);
  const layout = csvLayout();
  const checkpointFile = `${settings.path}.checkpoint.json`;
  const lock = new WriterLock(`${settings.path}.lock`, log);
  let file: fs.FileHandle | undefined;
  let filePath = settings.path;
  let checkpoint: CsvCheckpoint = EMPTY_CHECKPOINT;
  // The topic named by `open`: a batch of dead letters only has positions
  // and no record to say which topic they belong to.
  let topic: string | undefined;
  /** Fields met on records that this layout has no column for, each logged once. */
  const unexportedFields = new Set<string>();

  /** The file a checkpoint names: CSV_PATH, or a later file beside it. */
  function fileOf(stored: CsvCheckpoint | undefined): string {
    return stored?.file === undefined ? settings.path : path.join(path.dirname(settings.path), stored.file);
  }

  /** Opens a file of the export for writing at given positions, creating it if missing. */
  async function openExportFile(name: string): Promise<fs.FileHandle> {
    // Not opened for appending: writes below give their position
    // explicitly, so they land at the checkpoint, not at the end.
    return fs.open(name, 'r+').catch(async (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
      return fs.open(name, 'w+');
    });
  }

  /** Writes this layout's header into an empty file and confirms it in the checkpoint. */
  async function startFile(handle: fs.FileHandle, from: CsvCheckpoint): Promise<void> {
    await handle.truncate(0);
    await handle.write(layout.header, 0, 'utf8');
    await handle.sync();
    checkpoint = { ...from, bytes: Buffer.byteLength(layout.header) };
    await writeCheckpoint(checkpointFile, checkpoint);
    log.info({ file: filePath, columns: layout.columns }, 'CSV export file started with its header');
  }

  /** Cuts anything past the confirmed prefix, and writes the header into a file not begun. */
  async function recover(handle: fs.FileHandle, stored: CsvCheckpoint | undefined): Promise<void> {
    const size = (await handle.stat()).size;
    if (stored === undefined) {
      const text = size === 0 ? '' : await readPrefix(handle, Math.min(size, Buffer.byteLength(layout.header) + 1));
      if (size > 0 && !layout.header.startsWith(text)) {
        throw new Error(
          `${filePath} holds rows but has no checkpoint (${checkpointFile}) saying how much of it is complete; ` +
            'move the file away to start a new export',
        );
      }
      // A new file, or one whose header was being written when the worker died.
      await startFile(handle, EMPTY_CHECKPOINT);
      return;
    }
    if (stored.bytes === 0) {
      // A file named by the checkpoint when the columns changed, its header not yet confirmed.
      await startFile(handle, stored);
      return;
    }
    if (size < stored.bytes) {
      throw new Error(
        `${filePath} is shorter (${size} bytes) than its checkpoint says was written (${stored.bytes}); ` +
          'it was truncated or replaced: move it and its checkpoint away to start a new export',
      );
    }
    if (size > stored.bytes) {
      await handle.truncate(stored.bytes);
      await handle.sync();
      log.warn(
        { file: filePath, cutBytes: size - stored.bytes },
        'cut an unconfirmed tail left by a crash; those bids are read again',
      );
    }
    checkpoint = stored;
  }

  /** Whether the file begins with exactly this layout's header line. */
  async function hasOwnHeader(handle: fs.FileHandle): Promise<boolean> {
    const header = Buffer.from(layout.header, 'utf8');
    const prefix = Buffer.alloc(header.length);
    const { bytesRead } = await handle.read(prefix, 0, header.length, 0);
    return bytesRead === header.length && prefix.equals(header);
  }

  /** Leaves the current file as it is and starts the next one, with this layout's columns. */
  async function startNextFile(): Promise<void> {
    const previous = filePath;
    const name = nextFileName(settings.path, new Date());
    checkpoint = { ...checkpoint, file: name, bytes: 0 };
    await writeCheckpoint(checkpointFile, checkpoint);
    await file?.close();
    file = undefined;
    filePath = fileOf(checkpoint);
    file = await openExportFile(filePath);
    await startFile(file, checkpoint);
    log.info(
      { previous, file: filePath, columns: layout.columns },
      'the columns changed: the previous CSV file is complete, a new one starts',
    );
  }

  /** Logs, once per field, a field of a bid this export has no column for. */
  function noteUnexported(records: readonly SinkRecord[]): void {
    for (const record of records) {
      for (const field of layout.unknownFields(record)) {
        if (unexportedFields.has(field)) continue;
        unexportedFields.add(field);
        log.warn(
          { field, schemaId: record.schemaId, bid_id: record.bid.bid_id, file: filePath },
          'a bid carries a field this CSV worker does not know: it is left out of this file; ' +
            'a CSV worker of the bid schema version that has it starts a file with its column',
        );
      }
    }
  }

  return {
    name: 'csv',
    batching: { maxRecords: 5_000, lingerMs: 200 },

    async start() {
      await fs.mkdir(path.dirname(settings.path), { recursive: true });
      await lock.acquire();
      const stored = await readCheckpoint(checkpointFile);
      filePath = fileOf(stored);
      file = await openExportFile(filePath);
      await recover(file, stored);
      if (!(await hasOwnHeader(file))) await startNextFile();
      log.info({ file: filePath, bytes: checkpoint.bytes }, 'CSV export ready');
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
      noteUnexported(batch.records);
      const text = csvText(batch.records.map((record) => layout.row(record)));
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
        throw asTransient(error, `cannot append to ${filePath}`);
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
