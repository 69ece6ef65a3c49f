import type { ContextWindows } from './types';
import type { TokenEstimator } from './tokenEstimator';

/**
 * Gather: the prefix and suffix windows around the cursor, sized by a token budget.
 *
 * The prefix window's start moves in steps of a fixed stride of absolute offsets, snapped to the
 * next line start, so that while the user types it stays put for many keystrokes: the prompt then
 * shares its beginning with the previous one and the engine reuses its KV cache.
 */

/** Share of the context budget given to the suffix; the prefix matters most for completion. */
export const SUFFIX_SHARE = 0.25;
/** The prefix start moves by this share of the prefix window at a time. */
export const PREFIX_STRIDE_SHARE = 0.25;

/** Windows of `prefix` (starting at document offset `prefixOffset`) and `suffix`. */
export function gatherWindows(prefix: string, suffix: string, budgetTokens: number, estimator: TokenEstimator, prefixOffset = 0): ContextWindows {
  const suffixChars = estimator.charsFor(budgetTokens * SUFFIX_SHARE);
  const prefixChars = estimator.charsFor(budgetTokens) - suffixChars;
  const start = stablePrefixStart(prefix, prefixChars, prefixOffset);
  return {
    prefix: prefix.slice(start),
    suffix: suffix.slice(0, suffixEnd(suffix, suffixChars)),
    prefixStart: prefixOffset + start,
  };
}

/**
 * Where in `prefix` the window starts: an offset aligned to the stride in document coordinates
 * (the prefix starts at document offset `prefixOffset`), moved to the next line start.
 */
export function stablePrefixStart(prefix: string, maxChars: number, prefixOffset = 0): number {
  if (prefix.length <= maxChars) {
    return 0;
  }
  if (maxChars <= 0) {
    return prefix.length;
  }
  const stride = Math.max(1, Math.floor(maxChars * PREFIX_STRIDE_SHARE));
  const earliest = prefixOffset + prefix.length - maxChars;
  const anchor = Math.ceil(earliest / stride) * stride - prefixOffset;
  // Look for a line start only within one stride, so a minified line is never scanned whole.
  const newline = prefix.indexOf('\n', anchor - 1);
  const start = newline >= 0 && newline + 1 - anchor < stride ? newline + 1 : anchor;
  return skipLowSurrogate(prefix, Math.min(start, prefix.length));
}

/** End of the suffix window: the last line end that fits, or the budget inside a long line. */
export function suffixEnd(suffix: string, maxChars: number): number {
  if (suffix.length <= maxChars) {
    return suffix.length;
  }
  const newline = suffix.lastIndexOf('\n', maxChars);
  const end = newline > 0 ? newline : maxChars;
  return isLowSurrogate(suffix.charCodeAt(end)) ? end - 1 : end;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Never start a window in the middle of a surrogate pair. */
function skipLowSurrogate(text: string, offset: number): number {
  return isLowSurrogate(text.charCodeAt(offset)) ? offset + 1 : offset;
}
