import type mysql from 'mysql2/promise';
import { describeGroup, isGroupInactive } from '../../lib/kafka/groupMembers';
import type { KafkaSettings } from '../../lib/kafka/settings';
import { ResetRefusedError } from '../reset/sinkReset';
import { TopicOffsets } from '../reset/topicOffsets';
import { inMysqlTransaction } from '../mysql/mysqlStoreCall';

export interface StatsRebuildOutcome {
  windowRows: number;
  bidderRows: number;
  positionRows: number;
  /** partition → the offset the worker now starts from (the partition's first retained record). */
  startOffsets: Map<number, number>;
}

/**
 * Clears every statistic (bid_windows, bid_window_bidders) and the group's
 * positions in one transaction, so the next statistics worker of the group
 * counts the topic again from its earliest retained record; then commits
 * those earliest offsets to the Kafka group so lag tooling agrees. Refuses,
 * changing nothing, while any consumer is in the group: a running worker
 * would go on adding to figures it no longer has the start of.
 *
 * Positions alone cannot be moved (`sink:reset` refuses for this worker):
 * the windows would keep what the rewound records already added, and count
 * them twice.
 */
export async function rebuildStats(
  request: { topic: string; group: string },
  kafka: KafkaSettings,
  pool: mysql.Pool,
): Promise<StatsRebuildOutcome> {
  const { topic, group } = request;
  const activity = await describeGroup(kafka, group);
  if (!isGroupInactive(activity)) {
    throw new ResetRefusedError(
      `the consumer group ${group} is ${activity.state} with ${activity.members.length} member(s): ` +
        'stop every statistics worker of the group, then run the rebuild again',
    );
  }
  const offsets = await TopicOffsets.connect(kafka, group);
  try {
    const partitions = await offsets.partitionsOf(topic);
    const startOffsets = await offsets.targetOffsets(topic, partitions, { kind: 'earliest' });
    const removed = await inMysqlTransaction(pool, async (connection) => {
      const [windows] = await connection.query<mysql.ResultSetHeader>('DELETE FROM bid_windows');
      const [bidders] = await connection.query<mysql.ResultSetHeader>('DELETE FROM bid_window_bidders');
      const [positions] = await connection.query<mysql.ResultSetHeader>(
        'DELETE FROM stats_positions WHERE consumer_group = ?',
        [group],
      );
      return {
        windowRows: windows.affectedRows,
        bidderRows: bidders.affectedRows,
        positionRows: positions.affectedRows,
      };
    });
    offsets.commit(topic, startOffsets);
    return { ...removed, startOffsets };
  } finally {
    await offsets.disconnect();
  }
}
