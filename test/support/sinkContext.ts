import type { Env } from '../../lib/env';
import { createLogger } from '../../lib/logger';
import type { SinkContext } from '../../workers/runtime/sinkContext';

/** A sink's context as a worker would give it, for tests that drive a sink directly (no consumer, so never a lost assignment). */
export function testSinkContext(env: Env, overrides: Partial<SinkContext> = {}): SinkContext {
  return {
    topic: 'auction',
    group: 'test-sink',
    log: createLogger('test', 'warn'),
    env,
    assertAssignment: () => undefined,
    ...overrides,
  };
}
