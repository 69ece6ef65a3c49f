import { type FilterContext, indentOf, isBlank, keepLines, linePrefixOf } from './filterContext';

/**
 * A multi-line completion stays inside the cursor's block: it ends before the first line indented
 * less than the cursor's line, and right after a closing line (`}`, `)`, `]`) at the same indent,
 * which closes the block the cursor's line opened.
 */
const CLOSING_LINE = /^[)\]}]/;

export function stopAtBlockEnd(completion: string, context: FilterContext): string {
  if (context.mode !== 'multi-line') {
    return completion;
  }
  const baseIndent = indentOf(linePrefixOf(context));
  const lines = completion.split('\n');
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    if (isBlank(line)) {
      continue;
    }
    const indent = indentOf(line);
    if (indent < baseIndent) {
      return keepLines(lines, index);
    }
    if (indent === baseIndent && CLOSING_LINE.test(line.trimStart())) {
      return keepLines(lines, index + 1);
    }
  }
  return completion;
}
