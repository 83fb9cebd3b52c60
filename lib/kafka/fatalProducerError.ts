/** librdkafka's RD_KAFKA_RESP_ERR__FATAL. */
export const ERR_FATAL = -150;

/**
 * librdkafka raised a fatal error on the producer (an idempotence guarantee
 * can no longer be kept: the broker's sequence state and ours disagree, or
 * the cluster refuses the producer id). In librdkafka's words the instance
 * is unusable from then on: every later produce fails with ERR__FATAL.
 */
export class FatalProducerError extends Error {
  override name = 'FatalProducerError';
}

/** What node-rdkafka passes to `event.log` listeners. */
export interface LibrdkafkaLog {
  severity: number;
  fac: string;
  message: string;
}

/**
 * The fatal error a librdkafka log line announces, if it is one.
 *
 * node-rdkafka 3.x passes a fatal error to `event.error` as its underlying
 * message only, without the code or `isFatal` flag (src/callbacks.cc builds
 * the error from the text alone). librdkafka also logs every fatal error at
 * LOG_EMERG with the facility `FATAL` ("Fatal error: <error>: <reason>"),
 * which is the one signal that says "fatal" in this binding.
 */
export function fatalErrorOfLog(log: LibrdkafkaLog): string | undefined {
  if (log.fac !== 'FATAL') return undefined;
  // Drop the "[thrd:…]: " prefix naming librdkafka's thread.
  return log.message.replace(/^\[thrd:[^\]]*\]:\s*/, '');
}

/** Whether an error node-rdkafka raised (an `event.error`, a `produce` that threw) says the producer is fatally failed. */
export function isFatalClientError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { isFatal, code } = error as { isFatal?: unknown; code?: unknown };
  return isFatal === true || code === ERR_FATAL;
}
