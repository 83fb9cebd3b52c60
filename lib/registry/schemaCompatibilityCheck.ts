import { randomUUID } from 'node:crypto';
import { readCompatibilityLevel, setCompatibilityLevel } from './compatibilityLevel';
import { refusalReason } from './refusalReason';
import { askRegistry, describeBody } from './registryRequest';
import type { RegistrySettings } from './settings';
import { isClosedToNewFields, listSubjectVersions, readSubjectVersion } from './subjectVersions';

/** The registry's verdict on a schema against one registered version. */
export type VersionVerdict =
  | { version: number; verdict: 'compatible' }
  | { version: number; verdict: 'incompatible'; reasons: string[] }
  /** Registered before the bid schema was opened for new fields; its records are read with their own schema. */
  | { version: number; verdict: 'closed' };

export interface CompatibilityReport {
  subject: string;
  /** The subject's level, which decides what the registry checks; undefined if it has none. */
  level: string | undefined;
  verdicts: VersionVerdict[];
}

/** `POST /compatibility/…?verbose=true`: the verdict, and with it the reasons for a refusal. */
interface CompatibilityAnswer {
  is_compatible?: unknown;
  messages?: unknown;
}

/**
 * Asks the registry whether `schema` could be registered after each version
 * of the subject, one request per version, under the subject's level: the
 * registry checks only the latest version when registering, so a change
 * that drifts from an older version step by step is caught here. Versions
 * closed to new fields (from before the bid schema was opened) are not
 * asked about: under FULL nothing with a new field can follow them, and the
 * version that opened the schema was checked against them under BACKWARD.
 */
export async function checkAgainstRegisteredVersions(
  settings: RegistrySettings,
  schema: string,
): Promise<CompatibilityReport> {
  const { subject } = settings;
  const versions = await listSubjectVersions(settings);
  const level = versions.length === 0 ? undefined : await readCompatibilityLevel(settings);
  const verdicts: VersionVerdict[] = [];
  for (const version of versions) {
    const registered = await readSubjectVersion(settings, version);
    if (registered === undefined) continue; // deleted while we were asking
    if (isClosedToNewFields(registered.schema)) {
      verdicts.push({ version, verdict: 'closed' });
      continue;
    }
    const route = `/compatibility/subjects/${encodeURIComponent(subject)}/versions/${version}?verbose=true`;
    const answer = await askRegistry(settings, route, { method: 'POST', body: { schemaType: 'JSON', schema } });
    const body = answer.body as CompatibilityAnswer | undefined;
    if (answer.status !== 200 || typeof body?.is_compatible !== 'boolean') {
      throw new Error(
        `the registry did not answer whether the schema is compatible with version ${version} of ${subject} ` +
          `(HTTP ${answer.status}): ${describeBody(answer.body)}`,
      );
    }
    if (body.is_compatible) {
      verdicts.push({ version, verdict: 'compatible' });
      continue;
    }
    const messages = Array.isArray(body.messages) ? body.messages.map((message) => String(message)) : [];
    const reasons =
      messages.length > 0 ? messages : [await reasonOfRefusal(settings, registered.schema, schema, level ?? 'NONE')];
    verdicts.push({ version, verdict: 'incompatible', reasons });
  }
  return { subject, level, verdicts };
}

/**
 * The registry's reason for refusing `schema` after `registered`. Confluent's
 * registry gives it with the verdict (`verbose=true`); Apicurio's answers
 * only true or false, and says why only when it refuses a registration. So
 * it is asked that way, under a scratch subject holding the registered
 * version alone at the same level, deleted afterwards. The registered
 * content is already in the registry and the refused schema is never
 * stored, so no schema id is created.
 */
async function reasonOfRefusal(
  settings: RegistrySettings,
  registered: string,
  schema: string,
  level: string,
): Promise<string> {
  const scratch = { ...settings, subject: `${settings.subject}.schema-check-${randomUUID().slice(0, 8)}` };
  const route = `/subjects/${encodeURIComponent(scratch.subject)}`;
  try {
    const base = await askRegistry(scratch, `${route}/versions`, {
      method: 'POST',
      body: { schemaType: 'JSON', schema: registered },
    });
    if (base.status !== 200) return `(the registry gave no reason: ${describeBody(base.body)})`;
    await setCompatibilityLevel(scratch, level);
    const attempt = await askRegistry(scratch, `${route}/versions`, {
      method: 'POST',
      body: { schemaType: 'JSON', schema },
    });
    if (attempt.status !== 409) return `(the registry gave no reason: HTTP ${attempt.status})`;
    return refusalReason(attempt.body);
  } finally {
    await askRegistry(scratch, route, { method: 'DELETE' });
    await askRegistry(scratch, `${route}?permanent=true`, { method: 'DELETE' });
  }
}
