import { randomUUID } from 'node:crypto';
import { loadEnv } from '../../lib/env';
import { readRegistrySettings, type RegistrySettings } from '../../lib/registry/settings';

/**
 * Schemas registered under throwaway subjects of the real registry, so a
 * test can put any schema it needs there (one Kafka Connect wrote, one that
 * reuses another's `$id`) without touching `auction-value`. `remove()`
 * deletes every subject it made, permanently.
 */
export class TestSubjects {
  private readonly subjects: string[] = [];
  readonly settings: RegistrySettings = readRegistrySettings(loadEnv());

  /** Registers `schema` (a JSON Schema document) under a fresh subject and returns its schema id. */
  register(prefix: string, schema: Record<string, unknown>): Promise<number> {
    return this.registerUnder(this.fresh(prefix), schema);
  }

  /**
   * Registers `schema` as a new version of `subject` (one from `fresh`) and
   * returns its schema id. Identical content gets the same id under every
   * subject: a schema meant to be another subject's must differ from the
   * bid's (a different title will do).
   */
  async registerUnder(subject: string, schema: Record<string, unknown>): Promise<number> {
    const response = await this.request('POST', `/subjects/${subject}/versions`, {
      schemaType: 'JSON',
      schema: JSON.stringify(schema),
    });
    const body = (await response.json()) as { id?: number };
    if (!response.ok || typeof body.id !== 'number') {
      throw new Error(
        `cannot register a test schema under ${subject}: HTTP ${response.status} ${JSON.stringify(body)}`,
      );
    }
    return body.id;
  }

  /** A subject name this helper will delete in `remove()`, for a test that registers through other code. */
  fresh(prefix: string): string {
    const subject = `${prefix}-${randomUUID().slice(0, 8)}`;
    this.subjects.push(subject);
    return subject;
  }

  async remove(): Promise<void> {
    for (const subject of this.subjects) {
      // The Confluent API deletes softly first; only a soft-deleted subject can be deleted for good.
      await this.request('DELETE', `/subjects/${subject}`);
      await this.request('DELETE', `/subjects/${subject}?permanent=true`);
    }
    this.subjects.length = 0;
  }

  /** Sets a test subject's compatibility level, e.g. NONE for a test about something else than compatibility. */
  async setCompatibility(subject: string, level: string): Promise<void> {
    const response = await this.request('PUT', `/config/${subject}`, { compatibility: level });
    if (!response.ok) {
      throw new Error(`cannot set ${subject} to ${level}: HTTP ${response.status} ${await response.text()}`);
    }
  }

  /**
   * Runs `work` with a test subject at compatibility NONE (for a test about
   * something else than compatibility), then puts back the level it had.
   */
  async withoutCompatibilityCheck<T>(subject: string, work: () => Promise<T>): Promise<T> {
    const answer = await this.request('GET', `/config/${subject}`);
    const before = answer.ok
      ? ((await answer.json()) as { compatibilityLevel?: string }).compatibilityLevel
      : undefined;
    await this.setCompatibility(subject, 'NONE');
    try {
      return await work();
    } finally {
      if (before !== undefined) await this.setCompatibility(subject, before);
    }
  }

  request(method: string, route: string, body?: unknown): Promise<Response> {
    return fetch(`${this.settings.url}${route}`, {
      method,
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }
}
