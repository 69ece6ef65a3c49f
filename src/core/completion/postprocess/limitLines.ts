import { type FilterContext, keepLines } from './filterContext';

/** A single-line completion ends at its first newline; a block at `maxLines` lines. */
export function limitLines(completion: string, context: FilterContext): string {
  const lines = completion.split('\n');
  const limit = context.mode === 'single-line' ? 1 : Math.max(1, context.maxLines);
  return lines.length > limit ? keepLines(lines, limit) : completion;
}
