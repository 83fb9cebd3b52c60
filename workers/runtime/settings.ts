import { ConfigError, integerSetting, stringSetting, type Env } from '../../lib/env';

/** How a sink worker batches, backs off and reports, as read once at start-up. */
export interface SinkRuntimeSettings {
  /** The Kafka consumer group: `SINK_CONSUMER_GROUP`, default `<sink>-sink`. */
  consumerGroup: string;
  /**
   * A batch is written as soon as the consumer has nothing more buffered;
   * while records keep arriving it lingers until it holds this many records…
   */
  batchMaxRecords: number;
  /** …or until its first record has waited this long. */
  batchLingerMs: number;
  /** The first retry delay after a transient store or registry failure. */
  backoffMinMs: number;
  /** The longest retry delay; backoff doubles up to here. */
  backoffMaxMs: number;
  /**
   * How long the group waits for a silent worker before handing its
   * partitions to another: after a crash, nothing is read until then.
   */
  sessionTimeoutMs: number;
  /**
   * The longest the consumer loop may go without polling before librdkafka
   * takes the worker out of the group (max.poll.interval.ms). The loop polls
   * during writes and backoff too, so only a hung loop reaches it.
   */
  maxPollIntervalMs: number;
  /** Port of the Prometheus `/metrics` endpoint; 0 leaves it off. */
  metricsPort: number;
  /**
   * The address `/metrics` listens on: loopback unless the operator opens it
   * to a scraper on another machine or container (`0.0.0.0`, or one address).
   */
  metricsHost: string;
}

/**
 * The consumer group a sink reads in. The sink itself needs it too (the MySQL
 * sink keys its stored offsets by group), so both ask here and cannot disagree.
 */
export function consumerGroupOf(env: Env, sinkName: string): string {
  return stringSetting(env, 'SINK_CONSUMER_GROUP', `${sinkName}-sink`);
}

export function readSinkRuntimeSettings(
  env: Env,
  sink: { name: string; batching: { maxRecords: number; lingerMs: number } },
): SinkRuntimeSettings {
  const settings: SinkRuntimeSettings = {
    consumerGroup: consumerGroupOf(env, sink.name),
    batchMaxRecords: integerSetting(env, 'SINK_BATCH_MAX_RECORDS', sink.batching.maxRecords, {
      min: 1,
      max: 1_000_000,
    }),
    batchLingerMs: integerSetting(env, 'SINK_BATCH_LINGER_MS', sink.batching.lingerMs, { min: 0, max: 600_000 }),
    backoffMinMs: integerSetting(env, 'SINK_BACKOFF_MIN_MS', 500, { min: 1, max: 3_600_000 }),
    backoffMaxMs: integerSetting(env, 'SINK_BACKOFF_MAX_MS', 30_000, { min: 1, max: 3_600_000 }),
    // The broker's default group.min.session.timeout.ms is 6 s.
    sessionTimeoutMs: integerSetting(env, 'SINK_SESSION_TIMEOUT_MS', 10_000, { min: 1_000, max: 3_600_000 }),
    maxPollIntervalMs: integerSetting(env, 'SINK_MAX_POLL_INTERVAL_MS', 60_000, { min: 1_000, max: 86_400_000 }),
    metricsPort: integerSetting(env, 'METRICS_PORT', 0, { min: 0, max: 65_535 }),
    metricsHost: stringSetting(env, 'METRICS_HOST', '127.0.0.1'),
  };
  if (!/^[A-Za-z0-9.:_-]+$/.test(settings.metricsHost)) {
    throw new ConfigError('METRICS_HOST', `must be a host name or IP address, got "${settings.metricsHost}"`);
  }
  if (settings.maxPollIntervalMs < settings.sessionTimeoutMs) {
    throw new ConfigError(
      'SINK_MAX_POLL_INTERVAL_MS',
      `must be at least SINK_SESSION_TIMEOUT_MS (${settings.sessionTimeoutMs}), got ${settings.maxPollIntervalMs}`,
    );
  }
  if (settings.backoffMaxMs < settings.backoffMinMs) {
    throw new ConfigError(
      'SINK_BACKOFF_MAX_MS',
      `must be at least SINK_BACKOFF_MIN_MS (${settings.backoffMinMs}), got ${settings.backoffMaxMs}`,
    );
  }
  return settings;
}
