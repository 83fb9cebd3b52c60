import { ConfigError } from '../../lib/env';
import { DeliveryFailedError, NotQueuedError } from '../../lib/kafka/deliveringProducer';
import { RegistryUnavailableError } from '../../lib/registry/bidCodec';
import { StoreRefusedError, TransientSinkError } from './sink';
import { AssignmentLostError } from './sinkContext';

/**
 * The three answers of the runtime's error policy (Kafka Connect's
 * errors.tolerance is the model), plus the group's own case:
 * - `transient`: pause, back off with jitter, retry the same batch for as long as it takes;
 * - `refused`: the store refused data in the batch: isolate the record(s), dead-letter them, write the rest;
 * - `assignment-lost`: the group may have moved the partitions: write nothing until it has settled;
 * - `stop`: a configuration fault (a `ConfigError` naming the setting) or a failure nobody planned for:
 *   retrying cannot help and skipping would lose bids, so the worker stops with one line.
 * Records that cannot be decoded never reach here: the codec answers them as dead letters itself.
 */
/** Kafka itself could not be asked something the runtime needs (watermarks, say): waited out like a store. */
export class KafkaUnavailableError extends Error {
  override name = 'KafkaUnavailableError';
}

export type FailureClass =
  | { kind: 'transient'; awaited: string }
  | { kind: 'refused'; error: StoreRefusedError }
  | { kind: 'assignment-lost'; reason: string }
  | { kind: 'stop'; configuration: boolean };

export function classifyFailure(error: unknown, store: string): FailureClass {
  if (error instanceof TransientSinkError) return { kind: 'transient', awaited: store };
  if (error instanceof RegistryUnavailableError) return { kind: 'transient', awaited: 'the schema registry' };
  if (error instanceof NotQueuedError || error instanceof DeliveryFailedError)
    return { kind: 'transient', awaited: 'Kafka (dead-letter topic)' };
  if (error instanceof KafkaUnavailableError) return { kind: 'transient', awaited: 'Kafka' };
  if (error instanceof StoreRefusedError) return { kind: 'refused', error };
  if (error instanceof AssignmentLostError) return { kind: 'assignment-lost', reason: error.message };
  return { kind: 'stop', configuration: error instanceof ConfigError };
}
