import * as assert from 'node:assert/strict';
import { stageCounts, summaryLine } from '../../runner/stageCounts';

/** `npm test` sums every stage's own summary into its last line. */
describe('stage counts', () => {
  it('reads mocha, unittest and the project runners', () => {
    assert.deepEqual(stageCounts('  ✔ a\n\n  355 passing (18s)\n  2 pending\n  1 failing\n', 1), { passed: 355, failed: 1, skipped: 2 });
    assert.deepEqual(stageCounts('test_a ... ok\n------\nRan 21 tests in 40.1s\n\nOK (skipped=2)\n', 0), { passed: 19, failed: 0, skipped: 2 });
    assert.deepEqual(stageCounts('Ran 5 tests in 1s\n\nFAILED (failures=1, errors=1)\n', 1), { passed: 3, failed: 2, skipped: 0 });
    assert.deepEqual(stageCounts('...\n3 passed, 0 failed\n', 0), { passed: 3, failed: 0, skipped: 0 });
    assert.deepEqual(stageCounts('14 passed, 0 failed, 2 skipped\n', 0), { passed: 14, failed: 0, skipped: 2 });
    // The web runner runs mocha per scenario, then sums them on a labelled last line.
    assert.deepEqual(stageCounts('  7 passing (11s)\n  1 pending\n\nweb: 13 passed, 1 failed, 2 skipped\n', 1), { passed: 13, failed: 1, skipped: 2 });
  });

  it('counts a stage that printed no summary as its exit code says', () => {
    assert.deepEqual(stageCounts('Integration tests did not complete: timeout\n', 1), { passed: 0, failed: 1, skipped: 0 });
    assert.deepEqual(stageCounts('Tab accepted the suggestion.\n', 0), { passed: 1, failed: 0, skipped: 0 });
  });

  it('never lets a non-zero exit pass behind a green summary', () => {
    assert.deepEqual(stageCounts('4 passed, 0 failed\n', 137), { passed: 4, failed: 1, skipped: 0 });
  });

  it('writes the line CI reads', () => {
    assert.equal(summaryLine({ passed: 400, failed: 0, skipped: 0 }), '400 passed, 0 failed');
    assert.equal(summaryLine({ passed: 4, failed: 1, skipped: 3 }), '4 passed, 1 failed, 3 skipped');
  });
});
