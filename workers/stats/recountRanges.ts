import type { WindowSeconds } from './tumblingWindow';

/** Windows of one size whose distinct bidders are counted again together: these items, from one start to another. */
export interface RecountRange {
  seconds: WindowSeconds;
  items: string[];
  fromMs: number;
  toMs: number;
}

/**
 * Windows further apart than this are counted in separate ranges, so a
 * batch holding a few old bids does not make the recount read every window
 * in between.
 */
const GAP_MS = 10 * 60_000;

/**
 * Groups the windows a batch added bidders to into a few ranges of window
 * starts, per size: MySQL reads a range of the primary key at once, where a
 * list of thousands of (size, item, start) keys makes it scan the table.
 * A range may also hold windows the batch did not touch; counting those
 * again gives the figure they already have.
 */
export function recountRanges(
  windows: readonly { seconds: WindowSeconds; startMs: number; item: string }[],
): RecountRange[] {
  const ranges: RecountRange[] = [];
  const bySize = new Map<WindowSeconds, { startMs: number; item: string }[]>();
  for (const window of windows) {
    const list = bySize.get(window.seconds) ?? [];
    list.push(window);
    bySize.set(window.seconds, list);
  }
  for (const [seconds, list] of bySize) {
    list.sort((a, b) => a.startMs - b.startMs);
    let current: { items: Set<string>; fromMs: number; toMs: number } | undefined;
    for (const { startMs, item } of list) {
      if (current && startMs - current.toMs <= GAP_MS) {
        current.items.add(item);
        current.toMs = startMs;
        continue;
      }
      if (current) ranges.push({ seconds, items: [...current.items], fromMs: current.fromMs, toMs: current.toMs });
      current = { items: new Set([item]), fromMs: startMs, toMs: startMs };
    }
    if (current) ranges.push({ seconds, items: [...current.items], fromMs: current.fromMs, toMs: current.toMs });
  }
  return ranges;
}
