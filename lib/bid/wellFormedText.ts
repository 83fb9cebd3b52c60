/** A UTF-16 surrogate code unit standing alone: `\p{Surrogate}` with the `u` flag matches only unpaired ones. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Whether `text` is well-formed Unicode: no lone UTF-16 surrogate, such as a
 * JSON body's `"\ud800"`. No store can hold one unaltered (UTF-8 has no
 * encoding for it, so MySQL, the CSV file and Hive would each replace or
 * refuse it), so the web app refuses it and the sinks can use the same test.
 */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
