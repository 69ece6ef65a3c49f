/**
 * Where the n-gram cache reads its context: the prompt tokens right before the cursor, which the
 * generated tokens continue. With the prefix last (no FIM, or FIM in SPM order) that is the
 * prompt's end; in PSM order (`<fim_prefix> prefix <fim_suffix> suffix <fim_middle>`) it is the
 * end of the prefix, before `<fim_suffix>`. Special tokens are never context: the run stops there.
 */

export interface FimTokenIds {
  readonly suffix?: number;
  readonly middle?: number;
}

export function cursorTail(promptIds: readonly number[], specialIds: ReadonlySet<number>, fim: FimTokenIds, length: number): number[] {
  let end = promptIds.length;
  if (end > 0 && fim.middle !== undefined && fim.suffix !== undefined && promptIds[end - 1] === fim.middle) {
    const suffixAt = promptIds.lastIndexOf(fim.suffix, end - 2);
    end = suffixAt >= 0 ? suffixAt : end - 1;
  }
  let start = end;
  while (start > 0 && end - start < length && !specialIds.has(promptIds[start - 1])) {
    start--;
  }
  return promptIds.slice(start, end);
}
