/** The sinks whose positions `npm run sink:reset` can move. */
export const RESETTABLE_SINKS = ['mysql', 'csv', 'hive'] as const;
export type ResettableSink = (typeof RESETTABLE_SINKS)[number];

/**
 * The command an operator runs to move a sink's stored positions, as a worker
 * names it when it stops on positions the topic no longer has (the topic was
 * deleted and recreated, or truncated). `earliest` is the usual answer to a
 * recreated topic: every record it now holds is new. `group` and `topic` are
 * added only when given: the command reads `SINK_CONSUMER_GROUP` and
 * `KAFKA_TOPIC` from the same environment as the worker.
 */
export function resetCommandFor(sink: string, options: { to?: string; group?: string; topic?: string } = {}): string {
  const parts = ['npm run sink:reset --', `--sink ${sink}`, `--to ${options.to ?? 'earliest'}`];
  if (options.topic !== undefined) parts.push(`--topic ${options.topic}`);
  if (options.group !== undefined) parts.push(`--group ${options.group}`);
  return parts.join(' ');
}
