/**
 * Where a live feed stands on the bid topic: for each partition, the offset
 * of the next record it will read. Every web instance reads the same
 * records, so a vector written by one instance means the same to another.
 */
export type PositionVector = ReadonlyMap<number, number>;

/** The longest `Last-Event-ID` we read; a vector of a thousand partitions fits well within it. */
const MAX_VECTOR_LENGTH = 16_384;
const ENTRY = /^(\d{1,9}):(\d{1,16})$/;

/** The event id form: `<partition>:<nextOffset>` for each partition in partition order, joined by `.`, e.g. `0:1043.1:998`. */
export function formatPositionVector(positions: PositionVector): string {
  return [...positions.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, offset]) => `${partition}:${offset}`)
    .join('.');
}

/**
 * Reads an event id back; `undefined` when it is not one of ours (a
 * malformed or foreign `Last-Event-ID`), which the caller answers with a
 * reset rather than a guess.
 */
export function parsePositionVector(text: string): Map<number, number> | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.length > MAX_VECTOR_LENGTH) return undefined;
  const positions = new Map<number, number>();
  for (const entry of trimmed.split('.')) {
    const match = ENTRY.exec(entry);
    if (!match) return undefined;
    const partition = Number(match[1]);
    const offset = Number(match[2]);
    if (!Number.isSafeInteger(offset) || positions.has(partition)) return undefined;
    positions.set(partition, offset);
  }
  return positions;
}
