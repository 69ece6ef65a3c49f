import * as assert from 'node:assert/strict';
import { CompletionCache } from '../../../src/core/completion/completionCache';
import { PREFIX_KEY_CHARS } from '../../../src/core/completion/requestKey';
import { requestAt } from './requests';

describe('completion cache', () => {
  it('returns a suggestion for the same prefix, file, mode and suffix', () => {
    const cache = new CompletionCache();
    cache.set(requestAt('const a = '), '1;');
    assert.equal(cache.get(requestAt('const a = ')), '1;');
    assert.equal(cache.get(requestAt('const a = ', '\nmore')), undefined);
    assert.equal(cache.get(requestAt('const a = ', '\n', { path: 'src/b.ts' })), undefined);
    assert.equal(cache.get(requestAt('const a = ', '\n', { mode: 'line' })), undefined);
  });

  it('evicts the least recently used entry', () => {
    const cache = new CompletionCache(2);
    cache.set(requestAt('a'), 'A');
    cache.set(requestAt('b'), 'B');
    assert.equal(cache.get(requestAt('a')), 'A');
    cache.set(requestAt('c'), 'C');
    assert.equal(cache.size, 2);
    assert.equal(cache.get(requestAt('b')), undefined);
    assert.equal(cache.get(requestAt('a')), 'A');
    assert.equal(cache.get(requestAt('c')), 'C');
  });

  it('serves the rest of a suggestion while the user types through it', () => {
    const cache = new CompletionCache();
    cache.set(requestAt('return '), 'order.total;');
    assert.equal(cache.get(requestAt('return o')), 'rder.total;');
    assert.equal(cache.get(requestAt('return order.')), 'total;');
    assert.equal(cache.get(requestAt('return order.total;')), undefined, 'typed it all: nothing left');
    assert.equal(cache.get(requestAt('return x')), undefined, 'typed something else');
  });

  it('matches requests whose callers clipped the prefix at different points', () => {
    const cache = new CompletionCache();
    const document = 'let x = 1;\n'.repeat(1000) + 'return ';
    cache.set(requestAt(document.slice(100), '\n', { prefixOffset: 100 }), 'order.total;');
    assert.equal(cache.get(requestAt(document.slice(105) + 'ord', '\n', { prefixOffset: 105 })), 'er.total;');
    assert.equal(cache.get(requestAt(document + 'ord')), 'er.total;');
    assert.equal(cache.get(requestAt(document.slice(100) + 'ord', '\n', { prefixOffset: 99 })), undefined, 'a different place');
  });

  it('compares the prefix beyond its key window through its length and tail', () => {
    const cache = new CompletionCache();
    const long = 'x'.repeat(PREFIX_KEY_CHARS * 2);
    cache.set(requestAt(long + 'a = '), '1;');
    assert.equal(cache.get(requestAt(long + 'a = 1')), ';');
    assert.equal(cache.get(requestAt('y' + long + 'a = 1')), undefined);
  });
});
