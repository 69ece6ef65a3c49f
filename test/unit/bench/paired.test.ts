import * as assert from 'node:assert/strict';
import { comparePaired, comparePairedByLine, signTest } from '../../bench/completion/paired';
import type { Sample } from '../../bench/completion/metrics';

function sample(exact: boolean, editSimilarity: number): Sample {
  return { latencyMs: 1, completeMs: 1, shown: true, exact, copyable: false, verbatim: false, editSimilarity, expected: '', suggested: '', line: '', source: 'generated', promptTokens: 1, reusedPromptTokens: 0 };
}

describe('bench: paired comparison', () => {
  it('sign test matches the binomial tails', () => {
    assert.equal(signTest(0, 0), 1);
    assert.equal(signTest(3, 3), 1);
    // P(X <= 1 | n = 10, p = 1/2) = 11 / 1024, doubled.
    assert.ok(Math.abs(signTest(1, 9) - 22 / 1024) < 1e-12);
    assert.ok(Math.abs(signTest(9, 1) - 22 / 1024) < 1e-12);
    assert.ok(signTest(100, 150) < 0.01 && signTest(100, 150) > 0.001);
  });

  it('counts the requests only one side got right and the similarity gain', () => {
    const off = [sample(true, 1), sample(false, 0.5), sample(false, 0.2), sample(true, 1)];
    const on = [sample(true, 1), sample(true, 1), sample(false, 0.4), sample(false, 0.6)];
    const result = comparePaired(off, on);
    assert.deepEqual({ ...result, editSimilarityGain: Number(result.editSimilarityGain.toFixed(6)) }, {
      pairs: 4,
      onlyFirst: 1,
      onlySecond: 1,
      both: 1,
      editSimilarityGain: Number(((0 + 0.5 + 0.2 - 0.4) / 4).toFixed(6)),
      signTestP: 1,
    });
    assert.throws(() => comparePaired(off, on.slice(1)), /same requests/);
  });
});

describe('bench: paired comparison by line', () => {
  const at = (line: string, exact: boolean): Sample => ({ ...sampleOf(exact), line });
  function sampleOf(exact: boolean): Sample {
    return { latencyMs: 1, completeMs: 1, shown: true, exact, copyable: false, verbatim: false, editSimilarity: 0, expected: '', suggested: '', line: '', source: 'generated', promptTokens: 1, reusedPromptTokens: 0 };
  }

  it('gives each line to the side with more exact keystrokes, and counts a line once', () => {
    const off = [at('a', false), at('a', false), at('a', false), at('b', true), at('b', false), at('c', true)];
    const on = [at('a', true), at('a', true), at('a', true), at('b', false), at('b', true), at('c', false)];
    // Line a: 0 vs 3 for on; line b: 1 vs 1, a tie; line c: 1 vs 0 for off.
    assert.deepEqual(comparePairedByLine(off, on), { lines: 3, onlyFirst: 1, onlySecond: 1, signTestP: 1 });
    // By keystroke the same runs look like 4 to 2 for on.
    const byKeystroke = comparePaired(off, on);
    assert.deepEqual([byKeystroke.onlyFirst, byKeystroke.onlySecond], [2, 4]);
  });

  it('refuses runs of different requests', () => {
    assert.throws(() => comparePairedByLine([at('a', true)], [at('b', true)]), /same requests/);
    assert.throws(() => comparePairedByLine([at('a', true)], []), /same requests/);
  });
});
