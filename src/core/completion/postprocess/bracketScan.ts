/**
 * A small scanner over brackets and quotes, shared by the filters that must not break them.
 * It starts on the cursor's line (so it knows the brackets and strings open there) and skips
 * string contents; it is a heuristic over text, not a parser of any one language.
 */

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const QUOTES = new Set(['"', "'", '`']);

export interface BracketScan {
  /** Offsets (in the completion) of closers and closing quotes that close what was open before it. */
  readonly closesOutside: number[];
  /** Offset of the first closer that does not match the innermost open bracket, if any. */
  readonly mismatchAt: number | undefined;
  /** Offsets of brackets opened in the completion and still open at its end. */
  readonly unclosed: number[];
  /** Offset of the first closer with no open bracket at all before it, if any. */
  readonly closesNothingAt: number | undefined;
}

export function isCloser(char: string): boolean {
  return char in CLOSERS || QUOTES.has(char);
}

export function closerOf(opener: string): string | undefined {
  return OPENERS[opener];
}

/**
 * Scans `completion` as the continuation of `before`: the cursor's line before the cursor, or the
 * whole prefix when what is open at the cursor matters.
 */
export function scanBrackets(before: string, completion: string): BracketScan {
  const stack: { char: string; at: number }[] = [];
  let quote: { char: string; at: number } | undefined;
  const closesOutside: number[] = [];
  let closesNothingAt: number | undefined;
  const text = before + completion;
  const base = before.length;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    const at = index - base;
    if (quote) {
      if (char === '\\') {
        index++;
      } else if (char === quote.char) {
        if (quote.at < 0 && at >= 0) {
          closesOutside.push(at);
        }
        quote = undefined;
      } else if (char === '\n' && quote.char !== '`') {
        quote = undefined;
      }
      continue;
    }
    if (char === '/' && text[index + 1] === '/') {
      // A line comment: its apostrophes and brackets are prose.
      const lineEnd = text.indexOf('\n', index);
      index = lineEnd < 0 ? text.length : lineEnd;
    } else if (QUOTES.has(char)) {
      quote = { char, at };
    } else if (char in OPENERS) {
      stack.push({ char, at });
    } else if (char in CLOSERS) {
      const open = stack.pop();
      if (open !== undefined && open.char !== CLOSERS[char]) {
        if (at < 0) {
          // The user's own line is unbalanced already: judge the completion on its own.
          stack.length = 0;
          continue;
        }
        return { closesOutside, mismatchAt: at, unclosed: [], closesNothingAt };
      }
      if ((open === undefined || open.at < 0) && at >= 0) {
        closesOutside.push(at);
      }
      if (open === undefined && at >= 0) {
        closesNothingAt ??= at;
      }
    }
  }
  const unclosed = stack.filter((open) => open.at >= 0).map((open) => open.at);
  return { closesOutside, mismatchAt: undefined, unclosed, closesNothingAt };
}
