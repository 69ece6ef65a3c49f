import * as assert from 'node:assert/strict';
import { gatherWindows, PREFIX_STRIDE_SHARE, stablePrefixStart, suffixEnd } from '../../../src/core/completion/gather';
import { TokenEstimator } from '../../../src/core/completion/tokenEstimator';
import { ScriptedEngine } from './scriptedEngine';

const LINE = 'const value = compute(input);\n';

describe('gather: prefix and suffix windows', () => {
  it('keeps short files whole', () => {
    const windows = gatherWindows('a\nb', 'c\nd', 768, new TokenEstimator());
    assert.deepEqual(windows, { prefix: 'a\nb', suffix: 'c\nd', prefixStart: 0 });
  });

  it('fits the budget and starts the prefix at a line start', () => {
    const estimator = new TokenEstimator();
    const prefix = LINE.repeat(500);
    const windows = gatherWindows(prefix, LINE.repeat(500), 256, estimator);
    assert.ok(windows.prefix.length + windows.suffix.length <= estimator.charsFor(256));
    assert.ok(windows.prefix.startsWith('const'));
    assert.ok(windows.suffix.endsWith(';'));
    assert.equal(prefix.slice(windows.prefixStart), windows.prefix);
  });

  it('keeps the prefix start still while typing, moving it by whole strides', () => {
    const maxChars = 1000;
    let prefix = LINE.repeat(200);
    const starts = new Set<number>();
    let moves = 0;
    let last = stablePrefixStart(prefix, maxChars);
    for (let typed = 0; typed < 400; typed++) {
      prefix += typed % 40 === 39 ? '\n' : 'x';
      const start = stablePrefixStart(prefix, maxChars);
      assert.ok(prefix.length - start <= maxChars);
      if (start !== last) {
        moves++;
      }
      starts.add(start);
      last = start;
    }
    assert.ok(moves <= Math.ceil(400 / (maxChars * PREFIX_STRIDE_SHARE)) + 1, `moved ${moves} times`);
  });

  it('places the window by document offsets when the caller clips the prefix', () => {
    const estimator = new TokenEstimator();
    const document = LINE.repeat(1000);
    const clipChars = 5000;
    for (const cursor of [20_000, 20_001, 20_017, 25_555]) {
      const whole = gatherWindows(document.slice(0, cursor), '', 256, estimator);
      const offset = cursor - clipChars;
      const clipped = gatherWindows(document.slice(offset, cursor), '', 256, estimator, offset);
      assert.deepEqual(clipped, whole);
    }
  });

  it('cuts a minified line inside it without scanning it all, and never inside a surrogate pair', () => {
    const minified = 'a'.repeat(999) + '😀'.repeat(1000);
    const start = stablePrefixStart(minified, 500);
    assert.ok(minified.length - start <= 500);
    assert.ok(!/[\udc00-\udfff]/.test(minified[start]));
    const end = suffixEnd('😀'.repeat(100), 51);
    assert.ok(!/[\ud800-\udbff]/.test('😀'.repeat(100)[end - 1]));
  });

  it('handles an empty document and a zero budget', () => {
    assert.deepEqual(gatherWindows('', '', 768, new TokenEstimator()), { prefix: '', suffix: '', prefixStart: 0 });
    assert.deepEqual(gatherWindows('abc', 'def', 0, new TokenEstimator()), { prefix: '', suffix: '', prefixStart: 3 });
  });
});

describe('token estimator', () => {
  it('calibrates once against the engine tokenizer', async () => {
    const estimator = new TokenEstimator();
    await estimator.calibrate(new ScriptedEngine(() => ''), LINE.repeat(20));
    assert.equal(estimator.ratio, LINE.repeat(20).length / Math.ceil(LINE.repeat(20).length / 4));
    await estimator.calibrate(new ScriptedEngine(() => ''), 'x'.repeat(1000));
    assert.equal(estimator.charsFor(100), Math.floor(100 * estimator.ratio * 0.9));
  });

  it('ignores samples too short to measure', async () => {
    const estimator = new TokenEstimator();
    await estimator.calibrate(new ScriptedEngine(() => ''), 'short');
    assert.equal(estimator.ratio, 3.6);
  });
});
