import { scanBrackets } from './bracketScan';
import { type FilterContext, linePrefixOf, lineSuffixOf } from './filterContext';

/**
 * Never duplicate closing brackets or quotes already in the suffix: when the completion first
 * closes something opened before the cursor with the very character the rest of the line starts
 * with (`foo(|)` + `a, b);`), the editor's closer is already there, so the completion ends just
 * before it.
 */
export function stopAtSuffixClosers(completion: string, context: FilterContext): string {
  const rest = lineSuffixOf(context).trimStart();
  if (rest.length === 0) {
    return completion;
  }
  const { closesOutside } = scanBrackets(linePrefixOf(context), completion);
  if (closesOutside.length === 0) {
    return completion;
  }
  const first = closesOutside[0];
  return completion[first] === rest[0] ? completion.slice(0, first) : completion;
}
