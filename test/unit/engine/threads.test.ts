import * as assert from 'node:assert/strict';
import { defaultThreadCount, resolveThreadCount } from '../../../src/engine/threads';

describe('WASM thread count', () => {
  it('leaves one core to the editor, from 1 up to 4 threads', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 64].map(defaultThreadCount), [1, 1, 2, 3, 4, 4]);
  });

  it('uses a configured count as is; 0 means automatic', () => {
    assert.equal(resolveThreadCount(2, 2), 2);
    assert.equal(resolveThreadCount(0, 8), 4);
  });
});
