import { ConfigError, integerSetting, optionalSetting, stringSetting, type Env } from '../lib/env';
import { readHttpSettings, type HttpSettings } from './httpSettings';
import { readReadSettings, type ReadSettings } from './readSettings';

/** Everything the web app reads besides the Kafka, registry and MySQL settings it shares with the workers. */
export interface WebSettings {
  port: number;
  host: string;
  /** How long a request may wait for Kafka's acknowledgement of its bid before it is answered 503. */
  bidAckTimeoutMs: number;
  /**
   * librdkafka `message.timeout.ms` for bids: how long librdkafka keeps trying
   * before it reports a bid as failed. Shorter than `bidAckTimeoutMs` (half of
   * it unless set), so that the report, which librdkafka may deliver a second
   * or more after the timeout, usually arrives before the answer is due.
   */
  kafkaMessageTimeoutMs: number;
  /** librdkafka `linger.ms`: how long a bid waits for others to share its batch. */
  kafkaLingerMs: number;
  /** Bids waiting for Kafka at once; one more is refused at once with 503. */
  maxBidsInFlight: number;
  /** Bids one client (IP address) may submit per minute, page and API together. */
  bidRateLimitPerMinute: number;
  /** Express `trust proxy`: how many proxies in front of the app to believe about the client address and protocol (0 = none). */
  trustedProxies: number;
  /** Signs the CSRF and confirmation cookies. Unset: a random secret per process (forms open across a restart must be resent). */
  cookieSecret: string | undefined;
  /** Live event streams (`GET /api/events`) one instance serves at once; one more is answered 503. */
  sseMaxClients: number;
  /** How often an idle live stream gets a `: heartbeat` comment, so proxies and browsers keep it open. */
  sseHeartbeatMs: number;
  /** Bid records kept in memory for streams reconnecting with `Last-Event-ID`. */
  sseHistoryEvents: number;
  /** Events a live client may have waiting for its socket before it is disconnected as too slow. */
  sseClientBufferEvents: number;
  /** The read path's cache, rate limit and MySQL bounds. */
  reads: ReadSettings;
  /** The HTTP server's timeouts and connection cap. */
  http: HttpSettings;
}

export function readWebSettings(env: Env): WebSettings {
  const cookieSecret = optionalSetting(env, 'WEB_COOKIE_SECRET');
  if (cookieSecret !== undefined && cookieSecret.length < 32) {
    throw new ConfigError('WEB_COOKIE_SECRET', 'must be at least 32 characters long');
  }
  const host = stringSetting(env, 'HOST', '127.0.0.1');
  if (!/^[A-Za-z0-9.:_-]+$/.test(host))
    throw new ConfigError('HOST', `must be a host name or IP address, got "${host}"`);
  const bidAckTimeoutMs = integerSetting(env, 'BID_ACK_TIMEOUT_MS', 5000, { min: 1000, max: 300_000 });
  const kafkaMessageTimeoutMs = integerSetting(env, 'KAFKA_MESSAGE_TIMEOUT_MS', Math.floor(bidAckTimeoutMs / 2), {
    min: 500,
    max: 300_000,
  });
  if (kafkaMessageTimeoutMs >= bidAckTimeoutMs) {
    throw new ConfigError(
      'KAFKA_MESSAGE_TIMEOUT_MS',
      `must be shorter than BID_ACK_TIMEOUT_MS (${bidAckTimeoutMs}), got ${kafkaMessageTimeoutMs}`,
    );
  }
  const sseMaxClients = integerSetting(env, 'SSE_MAX_CLIENTS', 2000, { min: 1, max: 1_000_000 });
  return {
    port: integerSetting(env, 'PORT', 3000, { min: 0, max: 65535 }),
    host,
    bidAckTimeoutMs,
    kafkaMessageTimeoutMs,
    kafkaLingerMs: integerSetting(env, 'KAFKA_LINGER_MS', 1, { min: 0, max: 1000 }),
    maxBidsInFlight: integerSetting(env, 'MAX_BIDS_IN_FLIGHT', 1000, { min: 1, max: 100_000 }),
    bidRateLimitPerMinute: integerSetting(env, 'BID_RATE_LIMIT_PER_MINUTE', 120, { min: 1, max: 100_000_000 }),
    trustedProxies: integerSetting(env, 'TRUST_PROXY_HOPS', 0, { min: 0, max: 10 }),
    cookieSecret,
    sseMaxClients,
    sseHeartbeatMs: integerSetting(env, 'SSE_HEARTBEAT_MS', 15_000, { min: 100, max: 300_000 }),
    sseHistoryEvents: integerSetting(env, 'SSE_HISTORY_EVENTS', 10_000, { min: 1, max: 1_000_000 }),
    sseClientBufferEvents: integerSetting(env, 'SSE_CLIENT_BUFFER_EVENTS', 1000, { min: 1, max: 1_000_000 }),
    reads: readReadSettings(env),
    http: readHttpSettings(env, sseMaxClients),
  };
}
