import { type FilterContext, isBlank, keepLines, lineSuffixOf } from './filterContext';

/**
 * Stop where the output meets the suffix: a multi-line completion ends before a line that is the
 * suffix's next line, and a single-line one before the text the rest of the line already holds.
 */

/** Shorter rests of line (`)`, `;`) are closers, handled by stopAtSuffixClosers. */
const MIN_REST_OVERLAP_CHARS = 3;

export function stopAtSuffix(completion: string, context: FilterContext): string {
  const rest = lineSuffixOf(context).trim();
  const firstLine = completion.split('\n', 1)[0];
  if (rest.length >= MIN_REST_OVERLAP_CHARS) {
    const at = firstLine.indexOf(rest);
    if (at >= 0) {
      return completion.slice(0, at);
    }
  }
  if (context.mode !== 'multi-line') {
    return completion;
  }
  const next = nextSuffixLine(context.suffix);
  if (next === undefined) {
    return completion;
  }
  const lines = completion.split('\n');
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index].trimEnd();
    if (line === next.withIndent || (next.isRestOfLine && line.trim() === next.text)) {
      return keepLines(lines, index);
    }
  }
  return completion;
}

/** The first non-blank line of the suffix: the rest of the cursor's line, or a line below it. */
function nextSuffixLine(suffix: string): { text: string; withIndent: string; isRestOfLine: boolean } | undefined {
  const lines = suffix.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (!isBlank(lines[index])) {
      return { text: lines[index].trim(), withIndent: lines[index].trimEnd(), isRestOfLine: index === 0 };
    }
  }
  return undefined;
}
