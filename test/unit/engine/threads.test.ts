import * as assert from 'node:assert/strict';
import { defaultThreadCount, resolveThreadCount } from '../../../src/engine/threads';

describe('WASM thread count', () => {
  it('leaves one core to the editor, from 1 up to 4 threads', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 64].map(defaultThreadCount), [1, 1, 2, 3, 4, 4]);
  });

  it('uses a configured count up to the number of cores; 0 means automatic', () => {
    assert.equal(resolveThreadCount(2, 2), 2);
    assert.equal(resolveThreadCount(0, 8), 4);
    assert.equal(resolveThreadCount(6, 8), 6);
  });

  it('caps a configured count at the number of cores (a workspace asking for 64 threads gets the cores)', () => {
    assert.equal(resolveThreadCount(64, 2), 2);
    assert.equal(resolveThreadCount(64, 16), 16);
    assert.equal(resolveThreadCount(3, 0), 1);
  });
});
