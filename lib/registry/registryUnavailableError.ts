/** The registry could not be asked (unreachable, timed out, 5xx): worth retrying, never a dead letter. */
export class RegistryUnavailableError extends Error {
  override name = 'RegistryUnavailableError';
}
