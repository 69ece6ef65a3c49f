import * as assert from 'node:assert/strict';
import { CompletionStats, formatStats } from '../../src/core/stats';

describe('completion statistics', () => {
  it('counts, computes the accept rate and resets', () => {
    const stats = new CompletionStats();
    assert.equal(stats.snapshot().acceptRate, 0);
    stats.recordRequest();
    stats.recordSuggestion();
    stats.recordSuggestion();
    stats.recordAccepted();
    assert.deepEqual(stats.snapshot(), { requests: 1, suggestions: 2, accepted: 1, acceptRate: 0.5 });
    assert.equal(formatStats(stats.snapshot()), '1 requests, 2 suggestions, 1 accepted (50.0%)');
    stats.reset();
    assert.deepEqual(stats.snapshot(), { requests: 0, suggestions: 0, accepted: 0, acceptRate: 0 });
  });
});
