import type { DeadLetter, ReplayMarker } from './deadLetterEntry';
import type { DeadLetterSummary } from './deadLetterSelection';

/** The longest detail a listing line shows; `--json` has it whole. */
const DETAIL_SHOWN = 200;

/** One line of `dlq list`: where the dead letter sits, whose it is, why, where it came from, and its replay if any. */
export function deadLetterLine(letter: DeadLetter, replay: ReplayMarker | undefined): string {
  const detail = letter.detail.replace(/\s+/g, ' ');
  const parts = [
    letter.id,
    `sink=${letter.sink}`,
    `reason=${letter.reason}`,
    `source=${letter.source.topic}/${letter.source.partition}/${letter.source.offset}`,
    `failed=${letter.failedAt || '?'}`,
    `bid=${letter.bidId ?? '-'}`,
  ];
  if (replay) parts.push(`replayed=${replay.to || '?'} at ${replay.at || '?'}`);
  parts.push(`detail=${detail.length > DETAIL_SHOWN ? `${detail.slice(0, DETAIL_SHOWN)}…` : detail}`);
  return parts.join('  ');
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? 'none' : entries.map(([name, count]) => `${name} ${count}`).join(', ');
}

/** The summary lines under a listing. `hiddenReplayed`: matching dead letters left out because they were replayed. */
export function summaryLines(summary: DeadLetterSummary, hiddenReplayed: number, shown: number): string[] {
  const lines = [
    `${summary.total} dead letter(s)${summary.replayed > 0 ? `, ${summary.replayed} of them replayed` : ''}` +
      `${shown < summary.total ? `; ${shown} shown (--limit)` : ''}`,
    `by reason: ${counts(summary.byReason)}`,
    `by sink: ${counts(summary.bySink)}`,
  ];
  if (hiddenReplayed > 0) lines.push(`${hiddenReplayed} replayed dead letter(s) not listed; --all lists them too`);
  return lines;
}
