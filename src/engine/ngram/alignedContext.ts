import type { Encode } from './ngramDocument';
import { type ContextCounts, ContextCounter, type NgramCache } from './ngramCache';
import type { TokenTexts } from './tokenTexts';

/**
 * Counts of what follows the text before the cursor, robust to the two tokenizations of a word
 * being typed. The model's context ends inside a word ("reconcileQuar" as `re|con|cile|Qu|ar`)
 * that an open file holds whole, tokenized differently (`re|con|cile|Qu|arter|ly`), and after
 * generating a piece the model's ids go on differing from the file's. So the last tokens' text is
 * tokenized again as a document would be; all but its last `TYPED_TOKENS` tokens are the n-gram
 * context, and those last ones become text that an occurrence must spell next ("Quar"). What
 * follows that text there ("terlyLedger...") is predicted as the longest token that starts it.
 */

/** Model tokens whose text is tokenized again per step: enough for order - 1 tokens of context. */
export const CONTEXT_WINDOW_TOKENS = 16;
/** Tokens at the end that may be a piece of a longer word: matched as text, not as ids. */
const TYPED_TOKENS = 2;
/** Characters read past the typed text, to find the longest token that starts them. */
const LOOKAHEAD_CHARS = 16;

/** The cache with what it takes to compare text: the model's tokenizer and its tokens' texts. */
export interface NgramSources {
  readonly cache: NgramCache;
  readonly encode: Encode;
  readonly texts: TokenTexts;
}

export function alignedContextCounts(sources: NgramSources, context: readonly number[], vocabularySize: number): ContextCounts[] {
  const { cache, texts } = sources;
  const text = texts.join(context.slice(-CONTEXT_WINDOW_TOKENS));
  const canonical = sources.encode(text);
  const contextEnd = Math.max(0, canonical.length - TYPED_TOKENS);
  const typed = texts.join(canonical.slice(contextEnd));
  const ngramContext = canonical.slice(0, contextEnd).slice(-(cache.order - 1));
  const counter = new ContextCounter(ngramContext.length);
  cache.forEachOccurrence(ngramContext, (tokens, position, matched) => {
    const following = texts.continuationAfter(tokens, position, typed, LOOKAHEAD_CHARS);
    const next = following === undefined ? undefined : texts.longestPrefixToken(following, vocabularySize);
    if (next !== undefined) {
      counter.add(next, matched);
    }
  });
  return counter.counts();
}
