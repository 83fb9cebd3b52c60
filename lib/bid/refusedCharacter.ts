/**
 * The characters a bid's item or name may not hold, by Unicode general
 * category, in the order a character is described: controls (Cc), lone
 * surrogates (Cs), formatting characters (Cf: zero-width spaces and joiners,
 * bidi controls such as U+202E, the byte order mark), line and paragraph
 * separators (Zl, Zp), private-use (Co) and unassigned (Cn) code points, and
 * any other code point Unicode says to draw as nothing
 * (Default_Ignorable_Code_Point: variation selectors, Hangul fillers, U+034F).
 * Each can make two lots that differ look the same, or reorder what is shown
 * around it. "Unassigned" follows the Unicode version of the running Node
 * (`process.versions.unicode`).
 */
const REFUSED = /[\p{Cc}\p{Cs}\p{Cf}\p{Zl}\p{Zp}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]/u;

const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

const KINDS: readonly { category: RegExp; kind: (codePoint: string, invisible: boolean) => string }[] = [
  { category: /\p{Cc}/u, kind: (cp) => `a control character (${cp})` },
  { category: /\p{Cs}/u, kind: (cp) => `a lone surrogate (${cp}), which is not valid Unicode text` },
  { category: /\p{Cf}/u, kind: (cp, invisible) => `${invisible ? 'an invisible' : 'a'} formatting character (${cp})` },
  { category: /\p{Zl}/u, kind: (cp) => `a line separator (${cp})` },
  { category: /\p{Zp}/u, kind: (cp) => `a paragraph separator (${cp})` },
  { category: /\p{Co}/u, kind: (cp) => `a private-use character (${cp})` },
  { category: /\p{Cn}/u, kind: (cp) => `an unassigned character (${cp})` },
];

/** `U+200B`, `U+1F600`: how a code point is named to people. */
export function codePointName(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The first character of `text` a bid may not hold, described for a bidder
 * ("an invisible formatting character (U+200B)"), or undefined if there is none.
 */
export function refusedCharacterIn(text: string): string | undefined {
  const found = REFUSED.exec(text)?.[0];
  if (found === undefined) return undefined;
  const name = codePointName(found);
  const described = KINDS.find(({ category }) => category.test(found));
  return described ? described.kind(name, INVISIBLE.test(found)) : `an invisible character (${name})`;
}
