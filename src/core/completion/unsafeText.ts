/**
 * Characters a suggestion must not bring into a document unseen (issue 17, "Trojan Source").
 *
 * The rule, applied by the post-filter `stopAtUnsafeChars`:
 *  - bidirectional controls never appear in a suggestion, whatever the document holds: they make
 *    the code read differently from how it runs (U+202A-U+202E embeddings and overrides,
 *    U+2066-U+2069 isolates, U+200E/U+200F marks, U+061C the Arabic letter mark);
 *  - every other class below may appear only when the trusted text (the current document as the
 *    request carries it, and for a command its instruction) already holds a character of the same
 *    class. Text from other open files or recent edits is not trusted: it is exactly where copied
 *    hostile text comes from. Each class is a set of characters that are invisible, look like
 *    ASCII (confusables: a Cyrillic "а" in an identifier), or reorder what is shown; a document
 *    written in Greek or with Russian comments keeps its Greek or Cyrillic suggestions, a file of
 *    ASCII code never gets any.
 *
 * A suggestion is cut before the first character it may not hold (like the other cutting filters:
 * what comes before is kept), which also ends a streamed generation early.
 */

export interface CharacterClass {
  readonly name: string;
  /** A character class body, as inside `[...]` of a regular expression with the `u` flag. */
  readonly chars: string;
}

/** Never allowed, see above. */
export const BIDI_CONTROLS: CharacterClass = { name: 'bidi control', chars: '\\u202A-\\u202E\\u2066-\\u2069\\u200E\\u200F\\u061C' };

/** Allowed only when the trusted text holds one of the same class. */
export const GUARDED_CLASSES: readonly CharacterClass[] = [
  // C0 and C1 controls except tab, line feed and carriage return (terminal escapes, NUL, form feed).
  { name: 'control character', chars: '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F' },
  { name: 'zero-width character', chars: '\\u200B-\\u200D\\u2060-\\u2064\\uFEFF\\u180E' },
  { name: 'soft hyphen', chars: '\\u00AD' },
  { name: 'tag character', chars: '\\u{E0000}-\\u{E007F}' },
  { name: 'variation selector', chars: '\\uFE00-\\uFE0F\\u{E0100}-\\u{E01EF}\\u180B-\\u180D\\u180F' },
  { name: 'Hangul filler', chars: '\\u115F\\u1160\\u3164\\uFFA0' },
  // Combining grapheme joiner, Khmer inherent vowels, interlinear annotation marks.
  { name: 'invisible mark', chars: '\\u034F\\u17B4\\u17B5\\uFFF9-\\uFFFB' },
  // Spaces and line breaks that look like an ASCII space or show as nothing.
  { name: 'unusual space', chars: '\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\u2800' },
  { name: 'combining mark', chars: '\\u0300-\\u036F\\u1AB0-\\u1AFF\\u1DC0-\\u1DFF\\u20D0-\\u20FF\\uFE20-\\uFE2F' },
  // Scripts with letters that look like Latin ones.
  { name: 'Cyrillic letter', chars: '\\u0400-\\u052F\\u1C80-\\u1C8F\\u2DE0-\\u2DFF\\uA640-\\uA69F' },
  { name: 'Greek letter', chars: '\\u0370-\\u03FF\\u1F00-\\u1FFF' },
  { name: 'Armenian letter', chars: '\\u0531-\\u058F\\uFB13-\\uFB17' },
  { name: 'Cherokee letter', chars: '\\u13A0-\\u13FF\\uAB70-\\uABBF' },
  { name: 'fullwidth ASCII', chars: '\\uFF01-\\uFF5E' },
  // The Kelvin sign, Roman numerals and the like.
  { name: 'letterlike symbol', chars: '\\u2100-\\u218F' },
  { name: 'mathematical letter', chars: '\\u{1D400}-\\u{1D7FF}' },
  // Strong right-to-left letters reorder the neutral characters shown around them.
  {
    name: 'right-to-left letter',
    chars: '\\u0590-\\u05FF\\u0600-\\u061B\\u061D-\\u08FF\\uFB1D-\\uFDFF\\uFE70-\\uFEFE\\u{10800}-\\u{10FFF}\\u{1E800}-\\u{1EFFF}',
  },
  // Shown as nothing or as an icon, depending on the font.
  { name: 'private-use character', chars: '\\uE000-\\uF8FF\\u{F0000}-\\u{10FFFF}' },
];

const ALL_CLASSES = [BIDI_CONTROLS, ...GUARDED_CLASSES];
const ANY_UNSAFE = new RegExp(`[${ALL_CLASSES.map((entry) => entry.chars).join('')}]`, 'gu');
const PATTERNS = new Map(ALL_CLASSES.map((entry) => [entry, new RegExp(`[${entry.chars}]`, 'u')]));
const BIDI_PATTERN = new RegExp(`[${BIDI_CONTROLS.chars}]`, 'gu');

/** The class of a character, or undefined when it is in none. */
export function classOf(character: string): CharacterClass | undefined {
  return ALL_CLASSES.find((entry) => PATTERNS.get(entry)!.test(character));
}

/** Whether any of the texts holds a character of the class. */
export function holdsClass(texts: readonly string[], characterClass: CharacterClass): boolean {
  const pattern = PATTERNS.get(characterClass)!;
  return texts.some((text) => pattern.test(text));
}

/**
 * The first character of `text` that the rule refuses given the trusted texts, with its offset
 * and class; undefined when there is none. The trusted texts are scanned only for the classes of
 * characters `text` holds, so the common case (plain text) costs one scan of `text`.
 */
export function firstUnsafeChar(text: string, trusted: readonly string[]): { index: number; characterClass: CharacterClass } | undefined {
  const allowed = new Map<CharacterClass, boolean>();
  for (const match of text.matchAll(ANY_UNSAFE)) {
    const characterClass = classOf(match[0])!;
    if (characterClass !== BIDI_CONTROLS) {
      if (!allowed.has(characterClass)) {
        allowed.set(characterClass, holdsClass(trusted, characterClass));
      }
      if (allowed.get(characterClass)) {
        continue;
      }
    }
    return { index: match.index, characterClass };
  }
  return undefined;
}

/** The text without bidirectional controls (the same string when it has none). */
export function withoutBidiControls(text: string): string {
  BIDI_PATTERN.lastIndex = 0;
  return BIDI_PATTERN.test(text) ? text.replace(BIDI_PATTERN, '') : text;
}
