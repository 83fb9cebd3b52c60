/**
 * One read shared by every caller that asks while it is in flight, and by
 * every caller in the `freshMs` after it answered: a burst of page views
 * costs one query, and each answer is at most `freshMs` plus one query's
 * duration old. A read that fails (rejects) is not kept: the next caller
 * reads again.
 */
export class SharedRead<T> {
  private current: { answer: Promise<T>; answeredAt: number | undefined } | undefined;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly freshMs = 0,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<T> {
    const current = this.current;
    if (current && (current.answeredAt === undefined || this.now() - current.answeredAt < this.freshMs)) {
      return current.answer;
    }
    const entry: { answer: Promise<T>; answeredAt: number | undefined } = {
      answer: this.read(),
      answeredAt: undefined,
    };
    this.current = entry;
    entry.answer.then(
      () => {
        entry.answeredAt = this.now();
      },
      () => {
        if (this.current === entry) this.current = undefined;
      },
    );
    return entry.answer;
  }
}
