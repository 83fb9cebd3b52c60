import { askRegistry, describeBody } from './registryRequest';
import type { RegistrySettings } from './settings';

/** One version registered under the subject. */
export interface SubjectVersion {
  version: number;
  id: number;
  /** The schema text as registered. */
  schema: string;
}

/** The version numbers registered under the subject, oldest first; none if the subject does not exist. */
export async function listSubjectVersions(settings: RegistrySettings): Promise<number[]> {
  const answer = await askRegistry(settings, `/subjects/${encodeURIComponent(settings.subject)}/versions`);
  if (answer.status === 404) return [];
  if (answer.status !== 200 || !Array.isArray(answer.body) || !answer.body.every((v) => typeof v === 'number')) {
    throw new Error(
      `cannot list the versions of ${settings.subject} (HTTP ${answer.status}): ${describeBody(answer.body)}`,
    );
  }
  return [...(answer.body as number[])].sort((a, b) => a - b);
}

/** One version of the subject (`latest` for the newest); undefined if the subject has none. */
export async function readSubjectVersion(
  settings: RegistrySettings,
  version: number | 'latest',
): Promise<SubjectVersion | undefined> {
  const route = `/subjects/${encodeURIComponent(settings.subject)}/versions/${version}`;
  const answer = await askRegistry(settings, route);
  if (answer.status === 404) return undefined;
  const body = answer.body as Partial<Record<keyof SubjectVersion, unknown>> | undefined;
  if (
    answer.status !== 200 ||
    typeof body?.version !== 'number' ||
    typeof body.id !== 'number' ||
    typeof body.schema !== 'string'
  ) {
    throw new Error(
      `cannot read version ${version} of ${settings.subject} (HTTP ${answer.status}): ${describeBody(answer.body)}`,
    );
  }
  return { version: body.version, id: body.id, schema: body.schema };
}

/**
 * Whether a registered bid schema refuses every field it does not list
 * (`"additionalProperties": false`), as the bid schema did before it was
 * opened for new optional fields. Under FULL no version can follow such a
 * schema with a new field.
 */
export function isClosedToNewFields(schema: string): boolean {
  try {
    const document = JSON.parse(schema) as unknown;
    return (
      document !== null &&
      typeof document === 'object' &&
      (document as { additionalProperties?: unknown }).additionalProperties === false
    );
  } catch {
    return false;
  }
}
