import type { MessageHeader } from 'node-rdkafka';

/**
 * The header `npm run dlq -- replay` puts on a dead letter it brings back to
 * the source topic: the one sink whose dead letter it was. Every other sink
 * already holds that bid (or dead-lettered it itself, and has its own dead
 * letter to replay), so they skip the record and only move past it. The web
 * app's live feed announced the bid when it first reached the topic, so it
 * skips a replay too.
 */
export const REPLAY_SINK_HEADER = 'dlq.replay.sink';

/** The sink a replayed record is meant for, or undefined for an ordinary record every sink stores. */
export function replayTargetOf(headers: readonly MessageHeader[] | undefined): string | undefined {
  for (const header of headers ?? []) {
    const value = header[REPLAY_SINK_HEADER];
    if (value !== undefined) return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  }
  return undefined;
}

/** Whether a record is a replay meant for another sink: this one skips it. */
export function isReplayForAnotherSink(headers: readonly MessageHeader[] | undefined, sinkName: string): boolean {
  const target = replayTargetOf(headers);
  return target !== undefined && target !== sinkName;
}
