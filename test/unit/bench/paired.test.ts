import * as assert from 'node:assert/strict';
import { comparePaired, signTest } from '../../bench/completion/paired';
import type { Sample } from '../../bench/completion/metrics';

function sample(exact: boolean, editSimilarity: number): Sample {
  return { latencyMs: 1, completeMs: 1, shown: true, exact, copyable: false, editSimilarity, source: 'generated', promptTokens: 1, reusedPromptTokens: 0 };
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
