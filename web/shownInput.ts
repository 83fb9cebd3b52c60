/** The most characters of one piece of a client's input (a field name, a lot) that an answer repeats. */
export const SHOWN_INPUT_CHARACTERS = 40;

/**
 * A piece of a client's input as an answer may repeat it: at most
 * `SHOWN_INPUT_CHARACTERS` characters (whole code points), then `…`. An
 * answer never grows with what the client sent.
 */
export function shownInput(text: string, limit: number = SHOWN_INPUT_CHARACTERS): string {
  let shown = '';
  let count = 0;
  for (const character of text) {
    if (count === limit) return `${shown}…`;
    shown += character;
    count++;
  }
  return shown;
}
