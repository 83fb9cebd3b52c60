/**
 * Why the loop is consuming: gathering the next batch with nothing else to
 * do, polling beside a write (or a read of stored positions) that runs
 * meanwhile, or polling while it waits out a failure or a doubt.
 */
export type ConsumePurpose = 'gather' | 'beside-work' | 'wait';

/** One consume call: how many records it asks for, and node-rdkafka's per-message timeout. */
export interface ConsumeCall {
  count: number;
  timeoutMs: number;
  /** Asked for a chunk (see ConsumeChunk), so how it came back says something about the rate. */
  chunked: boolean;
}

/**
 * Waiting for a first record with nothing gathered: a record arriving ends
 * the wait at once, so this costs no latency; it bounds how soon a stop or
 * a rebalance is answered, and how often an idle worker wakes up.
 */
export const IDLE_TIMEOUT_MS = 100;

/**
 * With records in hand, how long a gap in what librdkafka has fetched
 * means "nothing more buffered": the batch is then written. A backlog is
 * fetched far ahead and never leaves such a gap.
 */
export const GATHER_TIMEOUT_MS = 2;

/**
 * Beside a write: a call in flight cannot be cut short, and the loop must
 * see the write end soon to hand over the next batch.
 */
export const BESIDE_WORK_TIMEOUT_MS = 5;

/**
 * The shape of the next consume call. node-rdkafka's `consume(n)` waits up
 * to the timeout for each next record and comes back with what it has
 * after the first wait in vain; so with nothing gathered it asks for one
 * record (which comes back the moment it arrives), then for a chunk with a
 * short wait (which comes back as soon as nothing more is buffered).
 */
export function consumeCallFor(purpose: ConsumePurpose, nothingGathered: boolean, chunk: number): ConsumeCall {
  if (purpose === 'beside-work') return { count: chunk, timeoutMs: BESIDE_WORK_TIMEOUT_MS, chunked: true };
  if (purpose === 'wait') return { count: chunk, timeoutMs: IDLE_TIMEOUT_MS, chunked: true };
  if (nothingGathered) return { count: 1, timeoutMs: IDLE_TIMEOUT_MS, chunked: false };
  return { count: chunk, timeoutMs: GATHER_TIMEOUT_MS, chunked: true };
}
