import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import type { KafkaSettings } from './settings';

/** One consumer that belongs to a group right now. */
export interface GroupMember {
  clientId: string;
  host: string;
}

/** A consumer group as the broker's coordinator describes it. */
export interface GroupActivity {
  /** `Empty`, `Dead` (no such group), `Stable`, `PreparingRebalance`, `CompletingRebalance`… */
  state: string;
  members: GroupMember[];
}

/** States in which the group has no member that could be reading or writing. */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

/** Whether nobody consumes in the group: the only time its positions may be moved by hand. */
export function isGroupInactive(activity: GroupActivity): boolean {
  return activity.members.length === 0 && INACTIVE_STATES.has(activity.state);
}

function saslOf(settings: KafkaSettings): SASLOptions | undefined {
  if (!settings.sasl) return undefined;
  const { username, password } = settings.sasl;
  switch (settings.sasl.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/**
 * Asks the group coordinator who is in `group` (Kafka's DescribeGroups).
 * node-rdkafka 3.6 has no call for it, so this one question goes through
 * KafkaJS's admin client, with the same servers and credentials.
 */
export async function describeGroup(settings: KafkaSettings, group: string): Promise<GroupActivity> {
  const sasl = saslOf(settings);
  const kafka = new Kafka({
    clientId: 'group-check',
    brokers: settings.bootstrapServers.split(',').map((server) => server.trim()),
    ssl: settings.securityProtocol === 'SSL' || settings.securityProtocol === 'SASL_SSL',
    ...(sasl ? { sasl } : {}),
    connectionTimeout: 10_000,
    requestTimeout: 15_000,
    retry: { retries: 2 },
    // Its own log lines are not JSON and would repeat the error thrown below.
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const { groups } = await admin.describeGroups([group]);
    const described = groups.find((candidate) => candidate.groupId === group);
    if (!described) throw new Error(`the broker did not describe the group ${group}`);
    return {
      state: described.state,
      members: described.members.map((member) => ({ clientId: member.clientId, host: member.clientHost })),
    };
  } catch (error) {
    throw new Error(`cannot ask Kafka who is in the group ${group}: ${(error as Error).message}`, { cause: error });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
