/**
 * The positions a sink keeps in its own store, seen from outside the worker:
 * what `sink:reset` reads and rewrites while no worker of the group runs.
 * Each sink's store says where it resumes; this is the one place besides the
 * sink itself that writes there.
 */
export interface PositionStore {
  /** Where the sink would resume on each partition that has a position; a partition missing has none (it reads from the start). */
  read(topic: string, partitions: readonly number[]): Promise<Map<number, number>>;

  /**
   * Sets each partition's position to exactly the given offset, backwards as
   * well as forwards, durably and all at once.
   */
  write(topic: string, positions: ReadonlyMap<number, number>): Promise<void>;

  /**
   * Where the store has a writer lock of its own (the CSV export), takes it
   * and holds it until `close`, so no worker starts writing during the
   * reset; answers the worker holding it instead, described for the refusal.
   * Undefined: no writer can be running (or the store has no lock to ask).
   */
  excludeWriters(): Promise<string | undefined>;

  /** Releases the connection, and the writer lock if taken. */
  close(): Promise<void>;
}
