import * as assert from 'node:assert/strict';
import { activatedApi, ourExtension } from './extension';

describe('activation', () => {
  it('activates and returns the extension API', async () => {
    const api = await activatedApi();
    assert.equal(ourExtension().isActive, true);
    assert.equal(typeof api.inlineProvider.provideInlineCompletionItems, 'function');
    assert.equal(typeof api.stats.snapshot, 'function');
  });
});
