import { describeGroup, isGroupInactive } from '../../lib/kafka/groupMembers';
import type { KafkaSettings } from '../../lib/kafka/settings';
import type { PositionStore } from './positionStore';
import type { ResetTarget } from './resetTarget';
import { TopicOffsets } from './topicOffsets';

/** One partition's move: where the sink would have resumed (undefined: from the start), and where it resumes now. */
export interface PositionChange {
  partition: number;
  from: number | undefined;
  to: number;
}

/** A reset that would race a running worker: nothing was changed. */
export class ResetRefusedError extends Error {
  override name = 'ResetRefusedError';
}

export interface SinkResetRequest {
  sink: string;
  topic: string;
  group: string;
  target: ResetTarget;
}

/**
 * Moves the positions a sink keeps in its own store to the target, for every
 * partition of the topic, then commits them to the Kafka group so lag tooling
 * agrees: the store-side counterpart of `kafka-consumer-groups
 * --reset-offsets`. Refuses, changing nothing, while any consumer is in the
 * group or the store knows of a running writer, since a running worker would
 * overwrite the reset with its next batch (or resume from the old position
 * it already holds).
 */
export async function resetSinkPositions(
  request: SinkResetRequest,
  kafka: KafkaSettings,
  store: PositionStore,
): Promise<PositionChange[]> {
  const { sink, topic, group, target } = request;
  const activity = await describeGroup(kafka, group);
  if (!isGroupInactive(activity)) {
    const members = activity.members.map((member) => `${member.clientId} on ${member.host}`).join(', ');
    throw new ResetRefusedError(
      `the consumer group ${group} is ${activity.state} with ${activity.members.length} member(s)` +
        `${members ? ` (${members})` : ''}: stop every ${sink} worker of the group, then run the reset again`,
    );
  }
  const writer = await store.excludeWriters();
  if (writer !== undefined) {
    throw new ResetRefusedError(`${writer}: stop it, then run the reset again`);
  }
  const offsets = await TopicOffsets.connect(kafka, group);
  try {
    const partitions = await offsets.partitionsOf(topic);
    const targets = await offsets.targetOffsets(topic, partitions, target);
    const before = await store.read(topic, partitions);
    await store.write(topic, targets);
    offsets.commit(topic, targets);
    return partitions.map((partition) => ({ partition, from: before.get(partition), to: targets.get(partition)! }));
  } finally {
    await offsets.disconnect();
  }
}
