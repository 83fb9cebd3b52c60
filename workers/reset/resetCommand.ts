/** The sinks whose positions `npm run sink:reset` can move. */
export const RESETTABLE_SINKS = ['mysql', 'csv', 'hive'] as const;
export type ResettableSink = (typeof RESETTABLE_SINKS)[number];

/**
 * The statistics worker's positions are not resettable: its windows keep
 * what the bids before a rewound position added. This command recounts them
 * from the topic instead (workers/stats/statsRebuild.ts).
 */
export const STATS_REBUILD_COMMAND = 'npm run stats:rebuild';

/**
 * The command an operator runs to move a sink's stored positions, as a worker
 * names it when it stops on positions the topic no longer has (the topic was
 * deleted and recreated, or truncated). `earliest` is the usual answer to a
 * recreated topic: every record it now holds is new. `group` and `topic` are
 * added only when given: the command reads `SINK_CONSUMER_GROUP` and
 * `KAFKA_TOPIC` from the same environment as the worker.
 */
export function resetCommandFor(sink: string, options: { to?: string; group?: string; topic?: string } = {}): string {
  if (sink === 'stats') return STATS_REBUILD_COMMAND;
  const parts = ['npm run sink:reset --', `--sink ${sink}`, `--to ${options.to ?? 'earliest'}`];
  if (options.topic !== undefined) parts.push(`--topic ${options.topic}`);
  if (options.group !== undefined) parts.push(`--group ${options.group}`);
  return parts.join(' ');
}
