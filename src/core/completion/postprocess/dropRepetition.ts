import { type FilterContext, isBlank, linePrefixOf, lineSuffixOf } from './filterContext';

/**
 * Drop completions that only repeat nearby lines: small models often copy the line above or the
 * line that already follows, which is never what the user wants next.
 */

/** Lines above and below the cursor's line that count as nearby. */
export const NEARBY_LINES = 3;

export function dropRepetition(completion: string, context: FilterContext): string {
  const lines = completion.split('\n');
  const rest = context.mode === 'single-line' ? lineSuffixOf(context) : '';
  const produced = [linePrefixOf(context) + lines[0] + rest, ...lines.slice(1)].map((line) => line.trim()).filter((line) => line.length > 0);
  if (produced.length === 0) {
    return '';
  }
  const nearby = new Set(nearbyLines(context).map((line) => line.trim()));
  return produced.every((line) => nearby.has(line)) ? '' : completion;
}

function nearbyLines(context: FilterContext): string[] {
  const above = context.prefix.split('\n').slice(0, -1).filter((line) => !isBlank(line)).slice(-NEARBY_LINES);
  const below = context.suffix.split('\n').slice(1).filter((line) => !isBlank(line)).slice(0, NEARBY_LINES);
  return [...above, ...below];
}
