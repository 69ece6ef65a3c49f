/**
 * Splits a document into chunks that are tokenized separately and memoized, so that an edit
 * re-tokenizes only the chunks it touches. A chunk ends before a line break that follows a
 * non-blank character: byte-level BPE pre-tokenizers (GPT-2's, ours) never put such a line
 * break in the same pre-token as the character before it, so tokenizing the chunks one by one
 * gives the same ids as tokenizing the whole text. For tokenizers where that does not hold, only
 * the ids at chunk edges differ, which costs the cache a few n-grams, never correctness.
 */

/** A chunk longer than this is cut anyway, so one huge line cannot make every edit costly. */
export const MAX_CHUNK_CHARS = 4096;

export function splitIntoChunks(text: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  for (let index = 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const atLineBreak = (code === 0x0a || code === 0x0d) && !isBlank(text.charCodeAt(index - 1));
    const tooLong = index - start >= MAX_CHUNK_CHARS && !isLowSurrogate(code);
    if (atLineBreak || tooLong) {
      chunks.push(text.slice(start, index));
      start = index;
    }
  }
  if (start < text.length) {
    chunks.push(text.slice(start));
  }
  return chunks;
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** The second half of a surrogate pair: cutting before it would split one character in two. */
function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
