import { describeBody } from './registryRequest';

/**
 * The registry's reason for refusing a schema (HTTP 409), on one line.
 * Apicurio's message wraps its findings ("Incompatible artifact: … list of
 * diff types: [A new required property was added at /required]"): the
 * findings are the reason. Any other registry's message is kept whole.
 */
export function refusalReason(body: unknown): string {
  const message = describeBody(body);
  const findings = /list of diff types: \[(.*)\]\s*$/s.exec(message);
  return (findings?.[1] ?? message).replace(/\s+/g, ' ').trim();
}
