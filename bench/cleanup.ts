import { errorMessage } from '../lib/errorMessage';

/**
 * What a run must undo (processes it started, topics, databases, tables,
 * temporary folders), undone last-first however the run ends, Ctrl-C
 * included. A step that fails is reported and the others still run, so one
 * stuck resource never leaves the rest behind.
 */
export class Cleanup {
  /** Every cleanup with steps still to run, for an interrupted run (`runAll`). */
  private static readonly pending = new Set<Cleanup>();
  private readonly steps: { what: string; undo: () => Promise<void> }[] = [];

  add(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
    Cleanup.pending.add(this);
  }

  /** Runs every cleanup not yet run, newest first: what an interrupted run (Ctrl-C) leaves behind. */
  static async runAll(report: (line: string) => void): Promise<void> {
    for (const cleanup of [...Cleanup.pending].reverse()) await cleanup.run(report);
  }

  /** Runs (and forgets) every step added since the last run, newest first. */
  async run(report: (line: string) => void): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        await step.undo();
      } catch (error) {
        report(`cleanup: could not remove ${step.what}: ${errorMessage(error)}`);
      }
    }
    Cleanup.pending.delete(this);
  }
}
