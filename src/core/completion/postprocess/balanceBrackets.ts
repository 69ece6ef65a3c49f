import { closerOf, scanBrackets } from './bracketScan';
import { type FilterContext, linePrefixOf, lineSuffixOf } from './filterContext';

/**
 * Keep brackets balanced: cut at a closer that does not match the innermost open bracket, or
 * (when the whole file before the cursor is known) that closes nothing, and (once the completion
 * is final) before a bracket it opened mid-line and never closed unless the rest of the line
 * closes it. A bracket left open at the end of a line starts a block and stays.
 */
export function balanceBrackets(completion: string, context: FilterContext): string {
  const linePrefix = linePrefixOf(context);
  const scan = scanBrackets(context.wholePrefix ? context.prefix : linePrefix, completion);
  const wrongCloser = Math.min(scan.mismatchAt ?? Infinity, context.wholePrefix ? (scan.closesNothingAt ?? Infinity) : Infinity);
  const kept = completion.slice(0, Math.min(wrongCloser, completion.length));
  // While streaming, a later line may still close a bracket, unless its own line ended the
  // statement: cutting that one now keeps the shown first line a prefix of the final suggestion.
  const judged = context.final || wrongCloser !== Infinity ? () => true : (at: number) => endsStatement(kept, at);
  const rest = lineSuffixOf(context);
  const dangling = scanBrackets(linePrefix, kept).unclosed.find(
    (at) => judged(at) && !opensBlock(kept, at) && !rest.includes(closerOf(kept[at]) ?? ''),
  );
  return dangling === undefined ? kept : kept.slice(0, dangling);
}

/** Whether the line of the bracket at `at` ends with a semicolon. */
function endsStatement(completion: string, at: number): boolean {
  const lineEnd = completion.indexOf('\n', at);
  return completion.slice(at + 1, lineEnd < 0 ? completion.length : lineEnd).trimEnd().endsWith(';');
}

/** Whether the bracket at `at` is the last non-blank character of its line. */
function opensBlock(completion: string, at: number): boolean {
  const lineEnd = completion.indexOf('\n', at);
  return completion.slice(at + 1, lineEnd < 0 ? completion.length : lineEnd).trim().length === 0;
}
