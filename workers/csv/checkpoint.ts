import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * What the CSV export has durably got to: the file being written, its length
 * up to the last complete, fsynced batch, and for every partition of every
 * topic the offset of the next record to read. Bytes past `bytes` were never
 * confirmed (a crash in the middle of an append) and are cut on start;
 * `bytes` 0 is a file whose header is still to be written.
 */
export interface CsvCheckpoint {
  /**
   * The name of the file being written, in CSV_PATH's folder, when it is
   * not CSV_PATH itself: a file started because the columns changed.
   */
  file?: string;
  bytes: number;
  /** topic → partition → next offset. */
  positions: Record<string, Record<string, number>>;
}

export const EMPTY_CHECKPOINT: CsvCheckpoint = { bytes: 0, positions: {} };

function isOffsetTable(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.entries(value).every(([partition, offset]) => /^\d+$/.test(partition) && Number.isSafeInteger(offset))
  );
}

/** Parses a checkpoint file's text, or explains why it is not one. */
export function parseCheckpoint(text: string): CsvCheckpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw new Error('is not a JSON object');
  const { file, bytes, positions } = value as Record<string, unknown>;
  if (file !== undefined && (typeof file !== 'string' || /^\.{0,2}$/.test(file) || /[/\\]/.test(file))) {
    throw new Error('has a "file" that is not a file name');
  }
  if (!Number.isSafeInteger(bytes) || (bytes as number) < 0) throw new Error('has no valid "bytes"');
  if (typeof positions !== 'object' || positions === null || !Object.values(positions).every(isOffsetTable)) {
    throw new Error('has no valid "positions"');
  }
  const checkpoint: CsvCheckpoint = { bytes: bytes as number, positions: positions as CsvCheckpoint['positions'] };
  if (file !== undefined) checkpoint.file = file;
  return checkpoint;
}

/** The checkpoint with a batch's new positions merged in. */
export function advanceCheckpoint(
  checkpoint: CsvCheckpoint,
  bytes: number,
  topic: string,
  positions: ReadonlyMap<number, number>,
): CsvCheckpoint {
  const topicPositions = { ...checkpoint.positions[topic] };
  for (const [partition, next] of positions) topicPositions[String(partition)] = next;
  return { ...checkpoint, bytes, positions: { ...checkpoint.positions, [topic]: topicPositions } };
}

/** Reads the checkpoint at `file`; undefined when there is none. */
export async function readCheckpoint(file: string): Promise<CsvCheckpoint | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return parseCheckpoint(text);
  } catch (error) {
    throw new Error(`the CSV checkpoint ${file} ${(error as Error).message}`);
  }
}

/**
 * Replaces the checkpoint so that a crash at any instant leaves either the
 * old one or the new one, never a torn file: write a temporary file, fsync
 * it, rename it over the old one (atomic on POSIX), fsync the folder so the
 * rename itself survives a power cut.
 */
export async function writeCheckpoint(file: string, checkpoint: CsvCheckpoint): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(checkpoint)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temporary, file);
  const folder = await fs.open(path.dirname(file), 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
