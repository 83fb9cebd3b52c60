/** The fewest records a consume call asks for while the batch has room for more. */
export const MIN_CONSUME_CHUNK = 64;

/** The most, whatever the room: the largest batch SINK_BATCH_MAX_RECORDS allows. */
const MAX_CONSUME_CHUNK = 1_000_000;

/**
 * How many records the next consume call asks for. node-rdkafka's
 * `consume(n)` returns early only when it waits a whole per-message timeout
 * for nothing (or a partition's end is reached): under a steady flow that
 * never pauses, one call holds its records until it has all `n`, so a
 * large `n` would hold a batch far past its linger.
 *
 * So the size follows what the consumer delivers: a call that came back full
 * within the time budget doubles the next one (a backlog is read in
 * chunks as large as the batch room), a full call that took longer halves it
 * (a steady flow is read in chunks it delivers within the budget). A call that
 * came back short says nothing about the rate and leaves the size alone.
 */
export class ConsumeChunk {
  private current = MIN_CONSUME_CHUNK;

  /** `budgetMs`: the longest a full consume call should take. */
  constructor(private readonly budgetMs: number) {}

  /** The count to ask for when the pending batch has `room` left (at least 1). */
  size(room: number): number {
    return Math.max(1, Math.min(room, this.current));
  }

  /** What a call that asked for `asked` records returned, and how long it took. */
  observe(asked: number, returned: number, elapsedMs: number): void {
    if (returned < asked) return;
    if (elapsedMs > this.budgetMs) {
      this.current = Math.max(MIN_CONSUME_CHUNK, Math.floor(Math.min(this.current, asked) / 2));
    } else if (asked >= this.current) {
      this.current = Math.min(this.current * 2, MAX_CONSUME_CHUNK);
    }
  }
}

/** The time budget of one full consume call: a fraction of the linger, so a steady flow still meets it. */
export function consumeBudgetFor(lingerMs: number): number {
  return Math.min(50, Math.max(5, Math.floor(lingerMs / 2)));
}
