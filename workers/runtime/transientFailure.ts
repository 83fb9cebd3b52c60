import { DeliveryFailedError, NotQueuedError } from '../../lib/kafka/deliveringProducer';
import { RegistryUnavailableError } from '../../lib/registry/bidCodec';
import { TransientSinkError } from './sink';

/**
 * What a failed batch is waiting for, when the failure is worth waiting out:
 * the store, the schema registry, or Kafka (a dead letter not acknowledged).
 * `undefined` means retrying cannot help and the worker must stop.
 */
export function awaitedServiceOf(error: unknown, store: string): string | undefined {
  if (error instanceof TransientSinkError) return store;
  if (error instanceof RegistryUnavailableError) return 'the schema registry';
  if (error instanceof NotQueuedError || error instanceof DeliveryFailedError) return 'Kafka (dead-letter topic)';
  return undefined;
}
