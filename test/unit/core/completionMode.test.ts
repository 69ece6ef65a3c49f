import * as assert from 'node:assert/strict';
import { decideMode, maxNewTokensFor, SINGLE_LINE_MAX_NEW_TOKENS, stopSequencesFor } from '../../../src/core/completion/completionMode';
import type { CompletionMode, RequestedMode } from '../../../src/core/completion/types';
import { readJsonFixture } from './fixtures';

interface ModeCase {
  name: string;
  prefix: string;
  suffix: string;
  requested: RequestedMode;
  expected: CompletionMode;
}

describe('single-line or multi-line (golden: mode/cases.json)', () => {
  for (const testCase of readJsonFixture<ModeCase[]>('mode', 'cases.json')) {
    it(testCase.name, () => assert.equal(decideMode(testCase.prefix, testCase.suffix, testCase.requested), testCase.expected));
  }

  it('stops a single line at a newline and a block at two blank lines', () => {
    assert.deepEqual(stopSequencesFor('single-line'), ['\n']);
    assert.deepEqual(stopSequencesFor('multi-line'), ['\n\n\n']);
  });

  it('bounds the tokens of a single line, not of a block', () => {
    assert.equal(maxNewTokensFor('single-line', 64), SINGLE_LINE_MAX_NEW_TOKENS);
    assert.equal(maxNewTokensFor('single-line', 8), 8);
    assert.equal(maxNewTokensFor('multi-line', 64), 64);
  });
});
