/**
 * The line that says what the benchmark is doing while it runs. On a
 * terminal it is one line rewritten in place; in a CI log (no TTY) it is a
 * plain line at most every few seconds, so the log shows progress without
 * thousands of lines. `note` prints a line that stays (a phase's result).
 */
export class Progress {
  private readonly startedAt = Date.now();
  private lastPrintedAt = 0;
  private shown = '';

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly plainIntervalMs = 5_000,
  ) {}

  private get elapsed(): string {
    return `[${((Date.now() - this.startedAt) / 1000).toFixed(0).padStart(4)} s]`;
  }

  /** What is happening now; shown at once on a terminal, throttled otherwise. */
  update(text: string): void {
    const line = `${this.elapsed} ${text}`;
    if (this.out.isTTY) {
      // A pseudo-terminal with no size set reports 0 columns: treat it as unknown rather than cut every line to 20.
      const width = Math.max(20, (this.out.columns || 120) - 1);
      this.out.write(`\r\x1b[2K${line.slice(0, width)}`);
      this.shown = line;
      return;
    }
    if (Date.now() - this.lastPrintedAt < this.plainIntervalMs) return;
    this.lastPrintedAt = Date.now();
    this.out.write(`${line}\n`);
  }

  /** A line that stays: the start or the result of a step. */
  note(text: string): void {
    if (this.out.isTTY && this.shown !== '') this.out.write('\r\x1b[2K');
    this.shown = '';
    this.out.write(`${this.elapsed} ${text}\n`);
    // The next update in a log comes after the usual interval, not straight after this line.
    this.lastPrintedAt = Date.now();
  }

  /** Clears the live line before the final table. */
  finish(): void {
    if (this.out.isTTY && this.shown !== '') this.out.write('\r\x1b[2K');
    this.shown = '';
  }
}
