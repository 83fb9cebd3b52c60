import type { DeadLetter, ReplayMarker } from './deadLetterEntry';

/** Which dead letters a command is about; an empty list means "any". */
export interface DeadLetterFilter {
  sinks: readonly string[];
  reasons: readonly string[];
  /** `<dlqPartition>:<offset>` */
  positions: readonly string[];
}

/** Reads `--offset 0:12` into the `partition:offset` form, or says what it expects. */
export function parseDeadLetterPosition(text: string): string {
  const match = /^(\d+):(\d+)$/.exec(text.trim());
  if (!match) throw new Error(`--offset must be <dlq partition>:<offset>, such as 0:12, got "${text}"`);
  return `${Number(match[1])}:${Number(match[2])}`;
}

export function matchesFilter(letter: DeadLetter, filter: DeadLetterFilter): boolean {
  return (
    (filter.sinks.length === 0 || filter.sinks.includes(letter.sink)) &&
    (filter.reasons.length === 0 || filter.reasons.includes(letter.reason)) &&
    (filter.positions.length === 0 || filter.positions.includes(`${letter.partition}:${letter.offset}`))
  );
}

/** Dead letter id → the marker of its replay, for those replayed already. */
export function replaysById(markers: readonly ReplayMarker[]): Map<string, ReplayMarker> {
  return new Map(markers.map((marker) => [marker.of, marker]));
}

/** Dead letters counted by reason and by sink, each list sorted by name. */
export interface DeadLetterSummary {
  total: number;
  replayed: number;
  byReason: Record<string, number>;
  bySink: Record<string, number>;
}

export function summarize(
  letters: readonly DeadLetter[],
  replays: ReadonlyMap<string, ReplayMarker>,
): DeadLetterSummary {
  const count = (key: (letter: DeadLetter) => string): Record<string, number> => {
    const counts = new Map<string, number>();
    for (const letter of letters) counts.set(key(letter), (counts.get(key(letter)) ?? 0) + 1);
    return Object.fromEntries([...counts].sort(([a], [b]) => a.localeCompare(b)));
  };
  return {
    total: letters.length,
    replayed: letters.filter((letter) => replays.has(letter.id)).length,
    byReason: count((letter) => letter.reason),
    bySink: count((letter) => letter.sink),
  };
}
