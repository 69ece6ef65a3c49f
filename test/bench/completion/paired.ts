/**
 * Paired comparison of two configurations that replayed the same keystrokes (few-shot off and on,
 * say): which requests only one of them got exactly right, and how likely a split at least that
 * uneven would be if neither were better (two-sided exact sign test on the discordant pairs).
 * Comparing rates alone hides that both runs saw the same targets; the sign test uses it.
 */
import type { Sample } from './metrics';

export interface PairedComparison {
  readonly pairs: number;
  /** Exact only with the second configuration. */
  readonly onlySecond: number;
  /** Exact only with the first configuration. */
  readonly onlyFirst: number;
  readonly both: number;
  /** Mean edit similarity of the second minus that of the first. */
  readonly editSimilarityGain: number;
  /** Two-sided exact sign test on onlyFirst vs onlySecond; 1 when there are none. */
  readonly signTestP: number;
}

export function comparePaired(first: readonly Sample[], second: readonly Sample[]): PairedComparison {
  if (first.length !== second.length) {
    throw new Error(`paired comparison needs the same requests: ${first.length} vs ${second.length}`);
  }
  let onlyFirst = 0;
  let onlySecond = 0;
  let both = 0;
  let similarityGain = 0;
  first.forEach((a, index) => {
    const b = second[index];
    if (a.exact && b.exact) both++;
    else if (a.exact) onlyFirst++;
    else if (b.exact) onlySecond++;
    similarityGain += b.editSimilarity - a.editSimilarity;
  });
  return {
    pairs: first.length,
    onlyFirst,
    onlySecond,
    both,
    editSimilarityGain: first.length === 0 ? 0 : similarityGain / first.length,
    signTestP: signTest(onlyFirst, onlySecond),
  };
}

/** What the comparison by line needs of a request. */
export type LineOutcome = Pick<Sample, 'line' | 'exact'>;

/**
 * The same comparison with lines as the trials: the keystrokes of one line share their context
 * and mostly their outcome (a name copied right stays right while typing it), so counting each
 * keystroke as a trial overstates the evidence. A line goes to the side that got more of its
 * keystrokes exactly right; lines where both got as many are ties.
 */
export interface LinePairedComparison {
  readonly lines: number;
  readonly onlyFirst: number;
  readonly onlySecond: number;
  readonly signTestP: number;
}

export function comparePairedByLine(first: readonly LineOutcome[], second: readonly LineOutcome[]): LinePairedComparison {
  if (first.length !== second.length || first.some((sample, index) => sample.line !== second[index].line)) {
    throw new Error('paired comparison by line needs the same requests in the same order');
  }
  const margins = new Map<string, number>();
  first.forEach((a, index) => {
    margins.set(a.line, (margins.get(a.line) ?? 0) + Number(second[index].exact) - Number(a.exact));
  });
  const values = [...margins.values()];
  const onlyFirst = values.filter((margin) => margin < 0).length;
  const onlySecond = values.filter((margin) => margin > 0).length;
  return { lines: margins.size, onlyFirst, onlySecond, signTestP: signTest(onlyFirst, onlySecond) };
}

/** P(a split at least as uneven as a:b | each discordant pair is a fair coin), two-sided. */
export function signTest(a: number, b: number): number {
  const n = a + b;
  if (n === 0) return 1;
  const k = Math.min(a, b);
  // Sum of C(n, i) / 2^n for i <= k, in logs so that large n does not overflow.
  let logChoose = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logChoose - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}
