import { resetCommandFor } from '../reset/resetCommand';

/** A partition's low and high watermarks: the first offset still held and the offset the next record will get. */
export interface Watermarks {
  low: number;
  high: number;
}

/** What a stored position says about the partition it belongs to. */
export type PositionVerdict =
  | { kind: 'in-range' }
  /** Past the end: the topic was deleted and recreated, or the log was truncated. Reading on would skip or repeat. */
  | { kind: 'beyond-end'; end: number }
  /** Before the start: retention (or a delete-records call) removed records this sink never read. */
  | { kind: 'before-start'; start: number; removed: number };

/**
 * Compares the next offset a sink stored for a partition with the
 * partition's watermarks. A stored position equal to the high watermark is
 * in range: the sink has read everything and waits for the next record.
 */
export function checkStoredPosition(stored: number, watermarks: Watermarks): PositionVerdict {
  if (stored > watermarks.high) return { kind: 'beyond-end', end: watermarks.high };
  if (stored < watermarks.low) return { kind: 'before-start', start: watermarks.low, removed: watermarks.low - stored };
  return { kind: 'in-range' };
}

/** A position past the partition's end stops the worker: this is the one line that says why and what to do. */
export class PositionBeyondEndError extends Error {
  override name = 'PositionBeyondEndError';

  constructor(sink: string, topic: string, partition: number, stored: number, end: number) {
    super(
      `the ${sink} sink stored position ${stored} for ${topic} partition ${partition}, but the partition ends at ${end}: ` +
        `the topic was recreated or truncated under the sink, and reading on would skip or repeat bids. ` +
        `Check the topic, then move the sink's positions with \`${resetCommandFor(sink)}\` (or --to latest / an ISO time) and start it again`,
    );
  }
}
