import { askRegistry, describeBody } from './registryRequest';
import type { RegistrySettings } from './settings';

/**
 * The compatibility level the project keeps on the bid subject. FULL: every
 * new version must read what the latest one wrote (backward) and be
 * readable by a program that knows only the latest one (forward), so old
 * and new web apps and workers can run side by side in either order of a
 * rolling upgrade. With the bid schema's open `additionalProperties`, adding
 * an optional field passes; removing or retyping a field, or making an
 * optional one required, does not. Not FULL_TRANSITIVE: one deliberate
 * override (`register-schema --override-compatibility`) would then make
 * every later version refused for ever; `npm run schema:check` checks a
 * change against every registered version instead.
 */
export const BID_COMPATIBILITY_LEVEL = 'FULL';

/** The subject's own compatibility level, upper case; undefined if the registry has none for it. */
export async function readCompatibilityLevel(settings: RegistrySettings): Promise<string | undefined> {
  const answer = await askRegistry(settings, `/config/${encodeURIComponent(settings.subject)}`);
  if (answer.status === 404) return undefined;
  const level = levelOf(answer.body);
  if (answer.status !== 200 || level === undefined) {
    throw new Error(
      `cannot read the compatibility level of ${settings.subject} (HTTP ${answer.status}): ${describeBody(answer.body)}`,
    );
  }
  return level;
}

/** Puts the subject at `level` (NONE, BACKWARD, FULL, …). */
export async function setCompatibilityLevel(settings: RegistrySettings, level: string): Promise<void> {
  const answer = await askRegistry(settings, `/config/${encodeURIComponent(settings.subject)}`, {
    method: 'PUT',
    body: { compatibility: level },
  });
  if (answer.status !== 200) {
    throw new Error(
      `setting ${settings.subject} to compatibility level ${level} answered HTTP ${answer.status}: ` +
        describeBody(answer.body),
    );
  }
}

function levelOf(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'compatibilityLevel' in body && typeof body.compatibilityLevel === 'string') {
    return body.compatibilityLevel.toUpperCase();
  }
  return undefined;
}
