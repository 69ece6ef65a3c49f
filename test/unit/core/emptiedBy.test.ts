import * as assert from 'node:assert/strict';
import type { FilterContext } from '../../../src/core/completion/postprocess/filterContext';
import { emptiedBy, postProcess } from '../../../src/core/completion/postprocess/postProcess';

/** The log says which post-processing step left an empty suggestion (issue: logs that explain silence). */
describe('emptiedBy', () => {
  const lineEnd: FilterContext = { prefix: 'const total = ', suffix: '\n', mode: 'single-line', maxLines: 8, final: true };

  it('names the closers filter when the model only wrote the closers after the cursor', () => {
    const context: FilterContext = { ...lineEnd, prefix: 'console.log(', suffix: ');\n' };
    assert.equal(postProcess(');', context), '');
    assert.equal(emptiedBy(');', context), 'stopAtSuffixClosers');
  });

  it('names the unsafe-character cut when the suggestion starts with a bidi control', () => {
    assert.equal(emptiedBy('\u202eadmin', lineEnd), 'stopAtUnsafeChars');
  });

  it('names the single-line cut when the first line was blank', () => {
    assert.equal(emptiedBy('\nnext line', lineEnd), 'singleLine');
  });

  it('is undefined when something is left, or when the model wrote nothing', () => {
    assert.equal(emptiedBy('items.length;', lineEnd), undefined);
    assert.equal(emptiedBy('', lineEnd), undefined);
  });
});
