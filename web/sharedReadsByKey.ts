import { SharedRead } from './sharedRead';

/**
 * A `SharedRead` per key (an item), for at most `maxKeys` keys: the key
 * asked for least recently is forgotten first, so lot names sent by clients
 * cannot grow it without bound. Forgetting a key only costs its next caller
 * a fresh read.
 */
export class SharedReadsByKey<T> {
  private readonly reads = new Map<string, SharedRead<T>>();

  constructor(
    private readonly read: (key: string) => Promise<T>,
    private readonly freshMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): Promise<T> {
    let shared = this.reads.get(key);
    if (shared === undefined) {
      shared = new SharedRead(() => this.read(key), this.freshMs, this.now);
    } else {
      // Re-inserted below, so the Map's order is from least to most recently asked.
      this.reads.delete(key);
    }
    this.reads.set(key, shared);
    if (this.reads.size > this.maxKeys) this.reads.delete(this.reads.keys().next().value as string);
    return shared.get();
  }

  /** Keys held now (for tests and metrics). */
  get size(): number {
    return this.reads.size;
  }
}
