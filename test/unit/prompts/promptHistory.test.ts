import * as assert from 'node:assert/strict';
import { MAX_PROMPT_HISTORY, PromptHistory } from '../../../src/core/prompts/promptHistory';

function memoryStore(initial: unknown): { load(): unknown; save(entries: readonly string[]): void; saved: unknown } {
  const store = {
    saved: initial,
    load: () => store.saved,
    save: (entries: readonly string[]) => {
      store.saved = [...entries];
    },
  };
  return store;
}

describe('prompt history', () => {
  it('keeps prompts newest first, moves a repeated one to the front and persists', async () => {
    const store = memoryStore(undefined);
    const history = new PromptHistory(store);
    await history.add('sort an array');
    await history.add('  parse a date ');
    await history.add('sort an array');
    assert.deepEqual(history.entries(), ['sort an array', 'parse a date']);
    assert.deepEqual(new PromptHistory(store).entries(), ['sort an array', 'parse a date']);
  });

  it('ignores blank prompts and malformed storage, and caps the length', async () => {
    const store = memoryStore(['ok', 42, '', null]);
    const history = new PromptHistory(store);
    assert.deepEqual(history.entries(), ['ok']);
    await history.add('   ');
    assert.deepEqual(store.saved, ['ok', 42, '', null], 'a blank prompt is not saved');
    for (let i = 0; i < MAX_PROMPT_HISTORY + 5; i++) {
      await history.add(`prompt ${i}`);
    }
    assert.equal(history.entries().length, MAX_PROMPT_HISTORY);
    assert.equal(history.entries()[0], `prompt ${MAX_PROMPT_HISTORY + 4}`);
    assert.deepEqual(new PromptHistory(memoryStore({ not: 'a list' })).entries(), []);
  });
});
