import { parseArgs } from 'node:util';
import { loadEnv } from '../lib/env';
import { readKafkaSettings } from '../lib/kafka/settings';
import { createLogger } from '../lib/logger';
import { runMain } from '../lib/main';
import { readDeadLetterTopicRecord, type DeadLetter, type ReplayMarker } from '../workers/dlq/deadLetterEntry';
import { deadLetterLine, summaryLines } from '../workers/dlq/deadLetterListing';
import {
  matchesFilter,
  parseDeadLetterPosition,
  replaysById,
  summarize,
  type DeadLetterFilter,
} from '../workers/dlq/deadLetterSelection';
import { readDeadLetterTopic } from '../workers/dlq/readDeadLetterTopic';
import { replayDeadLetters } from '../workers/dlq/replayDeadLetters';

const USAGE = [
  'usage: npm run dlq -- list [--sink S] [--reason R] [--offset P:O] [--limit N] [--all] [--json]',
  '       npm run dlq -- replay (--sink S | --reason R | --offset P:O)… [--dry-run]',
].join('\n');

const OPTIONS = {
  sink: { type: 'string', multiple: true },
  reason: { type: 'string', multiple: true },
  offset: { type: 'string', multiple: true },
  limit: { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
} as const;

function parseCommandLine() {
  try {
    return parseArgs({ options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
}

function print(lines: string[]): void {
  if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `npm run dlq -- list|replay`: reads the dead-letter topic from its start to
 * its end (no consumer group), lists dead letters with filters and a summary,
 * or replays selected ones to their source topic for the sink that refused
 * them, marking each as replayed so no later run replays it again.
 */
runMain('dlq', async () => {
  const { values, positionals } = parseCommandLine();
  const [command, ...extra] = positionals;
  if ((command !== 'list' && command !== 'replay') || extra.length > 0) {
    throw new Error(`say what to do: list or replay\n${USAGE}`);
  }
  const filter: DeadLetterFilter = {
    sinks: values.sink ?? [],
    reasons: values.reason ?? [],
    positions: (values.offset ?? []).map(parseDeadLetterPosition),
  };
  let limit = Number.POSITIVE_INFINITY;
  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1) {
      throw new Error(`--limit must be a whole number of at least 1, got "${values.limit}"`);
    }
    limit = Number(values.limit);
  }
  const env = loadEnv();
  const kafka = readKafkaSettings(env);
  const log = createLogger('dlq', undefined, 'stderr');
  const topic = kafka.deadLetterTopic;

  const letters: DeadLetter[] = [];
  const markers: ReplayMarker[] = [];
  let others = 0;
  for (const message of await readDeadLetterTopic(kafka, topic, log)) {
    const record = readDeadLetterTopicRecord(message);
    if (record.kind === 'dead-letter') letters.push(record.deadLetter);
    else if (record.kind === 'replay-marker') markers.push(record.marker);
    else others++;
  }
  const replays = replaysById(markers);
  const matching = letters.filter((letter) => matchesFilter(letter, filter));

  if (command === 'list') {
    const listed = values.all ? matching : matching.filter((letter) => !replays.has(letter.id));
    const shown = listed.slice(0, limit);
    const summary = summarize(listed, replays);
    if (values.json) {
      const deadLetters = shown.map((letter) => ({
        id: letter.id,
        dlqPartition: letter.partition,
        dlqOffset: letter.offset,
        sink: letter.sink,
        reason: letter.reason,
        detail: letter.detail,
        source: letter.source,
        failedAt: letter.failedAt,
        bidId: letter.bidId ?? null,
        replayed: replays.get(letter.id) ?? null,
      }));
      process.stdout.write(`${JSON.stringify({ topic, deadLetters, summary }, null, 2)}\n`);
      return;
    }
    print(shown.map((letter) => deadLetterLine(letter, replays.get(letter.id))));
    print(summaryLines(summary, matching.length - listed.length, shown.length));
    if (others > 0) print([`${others} other record(s) on ${topic} are not dead letters (no dlq.* headers)`]);
    return;
  }

  if (filter.sinks.length + filter.reasons.length + filter.positions.length === 0) {
    throw new Error(`say which dead letters to replay with --sink, --reason or --offset\n${USAGE}`);
  }
  const already = matching.filter((letter) => replays.has(letter.id));
  const selected = matching.filter((letter) => !replays.has(letter.id)).slice(0, limit);
  const lines = already.map(
    (letter) => `${letter.id} was replayed already (to ${replays.get(letter.id)?.to}); left alone`,
  );
  if (values['dry-run']) {
    lines.push(...selected.map((letter) => `would replay ${deadLetterLine(letter, undefined)}`));
    lines.push(`dry run: ${selected.length} dead letter(s) would be replayed; nothing was produced`);
    print(lines);
    return;
  }
  print(lines);
  const count = await replayDeadLetters(kafka, topic, selected, ({ letter, to }) =>
    print([
      `replayed ${letter.id} → ${to.topic}/${to.partition}/${to.offset} for sink ${letter.sink} (bid ${letter.bidId ?? '-'})`,
    ]),
  );
  print([`${count} dead letter(s) replayed${already.length > 0 ? `, ${already.length} already replayed before` : ''}`]);
});
