import { sampleBid } from '../test/support/bidStream';
import type { SinkRecord } from '../workers/runtime/sink';

/**
 * Records `start` … `start + count - 1` of a store ceiling: the same kind of
 * bids the backlog holds (`sampleBid`), spread over three partitions as the
 * backlog's keys spread them. Made a chunk at a time, outside the timed
 * part, so a ceiling measures the store, not the making of test data.
 */
export function ceilingRecords(topic: string, start: number, count: number): SinkRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const index = start + i;
    return {
      bid: sampleBid(index),
      extra: {},
      schemaId: 1,
      topic,
      partition: index % 3,
      offset: Math.floor(index / 3),
    };
  });
}

/**
 * Writes `records` rows in chunks of `chunk` with `write`, timing only the
 * writes; reports progress after each chunk.
 */
export async function timeChunkedWrites(
  records: number,
  chunk: number,
  write: (rows: SinkRecord[]) => Promise<void>,
  onProgress: (written: number) => void,
): Promise<{ records: number; seconds: number; perSecond: number }> {
  let elapsedMs = 0;
  for (let start = 0; start < records; start += chunk) {
    const rows = ceilingRecords('bench-ceiling', start, Math.min(chunk, records - start));
    const began = performance.now();
    await write(rows);
    elapsedMs += performance.now() - began;
    onProgress(start + rows.length);
  }
  const seconds = elapsedMs / 1000;
  return { records, seconds, perSecond: records / seconds };
}
