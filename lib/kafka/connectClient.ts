import type Kafka from 'node-rdkafka';
import type { KafkaClientEvents } from 'node-rdkafka';
import type { LibrdkafkaLog } from './fatalProducerError';
import { refusedSettingOf } from './refusedSetting';
import type { KafkaSettings } from './settings';

/**
 * Connects a node-rdkafka producer or consumer: node-rdkafka's `connect`
 * succeeds once a first metadata request is answered within `timeoutMs`.
 *
 * A cluster that refuses the settings (the password, the SASL mechanism, the
 * CA) would have librdkafka retry until that timeout and then fail with a
 * generic transport error; instead the connect fails at the first refusal
 * with the `ConfigError` naming the setting (see `refusedSettingOf`). Any
 * other failure is `unreachable(detail)`. A client given up on early still
 * ends its own connect attempt at the timeout (its metadata request holds a
 * libuv thread until then, so a process exiting meanwhile waits for it).
 */
export function connectClient(
  client: Kafka.Client<KafkaClientEvents>,
  settings: KafkaSettings,
  timeoutMs: number,
  unreachable: (detail: string) => Error,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined): void => {
      if (settled) return;
      settled = true;
      client.removeListener('event.log', onLog);
      if (error) reject(error);
      else resolve();
    };
    // librdkafka logs each connection failure once (facility FAIL) with its reason.
    const onLog = (log: LibrdkafkaLog): void => {
      if (log.fac !== 'FAIL') return;
      const refusal = refusedSettingOf(log.message, settings);
      if (refusal) settle(refusal);
    };
    client.on('event.log', onLog);
    client.connect({ timeout: timeoutMs }, (error) => settle(error ? unreachable(error.message) : undefined));
  });
}
