import * as assert from 'node:assert/strict';
import { balanceBrackets } from '../../../src/core/completion/postprocess/balanceBrackets';
import { dropRepetition } from '../../../src/core/completion/postprocess/dropRepetition';
import type { CompletionFilter, FilterContext } from '../../../src/core/completion/postprocess/filterContext';
import { limitLines } from '../../../src/core/completion/postprocess/limitLines';
import { postProcess, postProcessPartial } from '../../../src/core/completion/postprocess/postProcess';
import { stopAtBlockEnd } from '../../../src/core/completion/postprocess/stopAtBlockEnd';
import { stopAtLoop } from '../../../src/core/completion/postprocess/stopAtLoop';
import { stopAtSuffix } from '../../../src/core/completion/postprocess/stopAtSuffix';
import { stopAtSuffixClosers } from '../../../src/core/completion/postprocess/stopAtSuffixClosers';
import { stopAtUnsafeChars } from '../../../src/core/completion/postprocess/stopAtUnsafeChars';
import { trimTrailingWhitespace } from '../../../src/core/completion/postprocess/trimTrailingWhitespace';
import type { CompletionMode } from '../../../src/core/completion/types';
import { readJsonFixture } from './fixtures';

/** One golden case: a completion at a cursor and what the filter keeps of it. */
interface FilterCase {
  name: string;
  prefix: string;
  suffix: string;
  mode: CompletionMode;
  completion: string;
  expected: string;
  maxLines?: number;
  final?: boolean;
  wholePrefix?: boolean;
}

const DEFAULT_MAX_LINES = 8;

const FILTERS: Record<string, CompletionFilter> = {
  limitLines,
  trimTrailingWhitespace,
  stopAtLoop,
  stopAtBlockEnd,
  stopAtSuffix,
  stopAtSuffixClosers,
  balanceBrackets,
  stopAtUnsafeChars,
  dropRepetition,
  postProcess,
};

function contextOf(testCase: FilterCase): FilterContext {
  return {
    prefix: testCase.prefix,
    suffix: testCase.suffix,
    mode: testCase.mode,
    maxLines: testCase.maxLines ?? DEFAULT_MAX_LINES,
    final: testCase.final ?? true,
    wholePrefix: testCase.wholePrefix ?? false,
  };
}

for (const [name, filter] of Object.entries(FILTERS)) {
  describe(`post-filter ${name} (golden: postprocess/${name}.json)`, () => {
    for (const testCase of readJsonFixture<FilterCase[]>('postprocess', `${name}.json`)) {
      it(testCase.name, () => {
        assert.equal(filter(testCase.completion, contextOf(testCase)), testCase.expected);
      });
    }
  });
}

describe('post-processing while streaming', () => {
  const block: FilterContext = { prefix: 'function f() {', suffix: '\n}', mode: 'multi-line', maxLines: 3, final: false };

  it('shows nothing until the first line is complete', () => {
    assert.deepEqual(postProcessPartial('\n  const a', block), { text: '', done: false });
  });

  it('shows complete lines and goes on while nothing was cut', () => {
    assert.deepEqual(postProcessPartial('\n  const a = 1;\n  con', block), { text: '\n  const a = 1;', done: false });
  });

  it('is done once the block ends', () => {
    assert.deepEqual(postProcessPartial('\n  a();\n}\nfunction g', block), { text: '\n  a();', done: true });
  });

  it('cuts a bracket its complete line opened and ended the statement without closing, as the final pass will', () => {
    const line: FilterContext = { prefix: 'function f(n) {\n  ', suffix: '\n}', mode: 'multi-line', maxLines: 3, final: false };
    const raw = 'return (0, get(n) as T;\n  x';
    const partial = postProcessPartial(raw, line);
    const final = postProcess('return (0, get(n) as T;', { ...line, final: true });
    assert.equal(final, 'return');
    assert.equal(partial.text, final);
    // A bracket left open by a line that goes on (arguments over several lines) stays while streaming.
    assert.equal(postProcessPartial('foo(a,\n  b', line).text, 'foo(a,');
  });

  it('never shows a bidi control while streaming, and stops the generation at one', () => {
    const partial = postProcessPartial('\n  grant(); // \u202e } if (ok) {\n  return;\n  x', block);
    assert.deepEqual(partial, { text: '\n  grant(); //', done: true });
  });

  it('is done at maxLines', () => {
    assert.equal(postProcessPartial('\n  a();\n  b();\n  c();\n', block).done, true);
  });

  it('is done as soon as the model loops, before any line is complete', () => {
    assert.deepEqual(postProcessPartial('foo RRRRRRRRRRRRRRRRRRRR', { ...block, mode: 'single-line' }), { text: '', done: true });
  });

  it('is done after the first line of a single-line completion', () => {
    assert.deepEqual(postProcessPartial('x;\n', { ...block, mode: 'single-line' }), { text: 'x;', done: true });
  });
});
