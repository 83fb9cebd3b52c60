/** One event of a `text/event-stream`, as a browser's EventSource dispatches it. */
export interface ServerSentEvent {
  /** `event:` (default `message`). */
  type: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The last event id seen so far on the stream (`id:` of this event or an earlier one). */
  lastEventId: string;
}

/**
 * Reads a `text/event-stream` as it arrives, in chunks cut anywhere, by the
 * rules of the HTML standard's event-stream parser: lines end in CRLF, LF or
 * CR; `:` starts a comment (the heartbeat); `field: value` drops one space
 * after the colon; a blank line dispatches the event, and an event without
 * data is not dispatched. The benchmark reads the live events with it, as a
 * page would.
 */
export class EventStreamParser {
  private buffer = '';
  private type = '';
  private data: string[] = [];
  private lastEventId = '';
  /** A chunk ended on CR: an LF starting the next one belongs to that line end. */
  private afterCarriageReturn = false;

  /** Takes the next chunk and returns the events it completed. */
  push(chunk: string): ServerSentEvent[] {
    let text = chunk;
    if (this.afterCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.afterCarriageReturn = text.endsWith('\r');
    this.buffer += text;
    const events: ServerSentEvent[] = [];
    const lines = this.buffer.split(/\r\n|\r|\n/);
    // The last piece has no line end yet (or is empty after a final line end).
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.type = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      // `retry` sets the browser's reconnection delay; any other field is ignored, as the standard says.
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const event =
      this.data.length === 0
        ? undefined
        : { type: this.type === '' ? 'message' : this.type, data: this.data.join('\n'), lastEventId: this.lastEventId };
    this.type = '';
    this.data = [];
    return event;
  }
}
