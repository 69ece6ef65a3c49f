import * as assert from 'node:assert/strict';
import { CompletionStats, formatStats, LATENCY_BUCKET_BOUNDS_MS, parseState, percentile, RECENT_LATENCIES, type StatsState } from '../../../src/core/stats';

function memoryStore(initial?: unknown): { load(): unknown; save(state: StatsState): void; saved: unknown; saves: number } {
  const store = {
    saved: initial,
    saves: 0,
    load: () => store.saved,
    save: (state: StatsState) => {
      store.saves++;
      store.saved = JSON.parse(JSON.stringify(state));
    },
  };
  return store;
}

describe('completion statistics', () => {
  it('counts requests, shown and accepted suggestions, overall and per language', () => {
    const stats = new CompletionStats();
    assert.equal(stats.snapshot().acceptRate, 0);
    stats.recordRequest('typescript');
    stats.recordRequest('typescript');
    stats.recordRequest('python');
    stats.recordSuggestion('typescript');
    stats.recordSuggestion('python');
    stats.recordAccepted('typescript');
    stats.recordRequest();
    const snapshot = stats.snapshot();
    assert.equal(snapshot.requests, 4);
    assert.equal(snapshot.suggestions, 2);
    assert.equal(snapshot.accepted, 1);
    assert.equal(snapshot.acceptRate, 0.5);
    assert.deepEqual(snapshot.languages, [
      { languageId: 'typescript', requests: 2, shown: 1, accepted: 1 },
      { languageId: 'python', requests: 1, shown: 1, accepted: 0 },
    ]);
  });

  it('builds the latency histogram and exact p50/p95 over recent latencies', () => {
    const stats = new CompletionStats();
    for (let ms = 1; ms <= 100; ms++) {
      stats.recordLatency(ms * 10);
    }
    stats.recordLatency(-5);
    stats.recordLatency(Number.NaN);
    const { latency } = stats.snapshot();
    assert.equal(latency.count, 100, 'invalid latencies are ignored');
    assert.equal(latency.p50Ms, 500);
    assert.equal(latency.p95Ms, 950);
    assert.equal(latency.lastMs, 1000);
    assert.equal(latency.histogram.length, LATENCY_BUCKET_BOUNDS_MS.length + 1);
    assert.deepEqual(latency.histogram[0], { lowerMs: 0, upperMs: 50, count: 4 });
    assert.deepEqual(latency.histogram[1], { lowerMs: 50, upperMs: 100, count: 5 });
    assert.equal(latency.histogram.at(-1)!.upperMs, undefined);
    assert.equal(latency.histogram.reduce((sum, bucket) => sum + bucket.count, 0), 100);
  });

  it('keeps percentiles over the most recent latencies only, the histogram over all', () => {
    const stats = new CompletionStats();
    for (let i = 0; i < RECENT_LATENCIES; i++) stats.recordLatency(5000);
    for (let i = 0; i < RECENT_LATENCIES; i++) stats.recordLatency(10);
    const { latency } = stats.snapshot();
    assert.equal(latency.p95Ms, 10);
    assert.equal(latency.count, 2 * RECENT_LATENCIES);
  });

  it('computes tokens per second over all generations', () => {
    const stats = new CompletionStats();
    assert.equal(stats.snapshot().tokensPerSecond, undefined);
    stats.recordGeneration({ generatedTokens: 30, durationMs: 1000 });
    stats.recordGeneration({ generatedTokens: 10, durationMs: 1000 });
    stats.recordGeneration({ generatedTokens: 0, durationMs: 50 });
    assert.equal(stats.snapshot().tokensPerSecond, 20);
    assert.equal(stats.snapshot().generatedTokens, 40);
  });

  it('persists through its store, survives a restart and resets', () => {
    const store = memoryStore();
    const stats = new CompletionStats(store);
    stats.recordRequest('go');
    stats.recordSuggestion('go');
    stats.recordLatency(120);
    stats.recordGeneration({ generatedTokens: 8, durationMs: 400 });
    const restarted = new CompletionStats(store).snapshot();
    assert.deepEqual(restarted, stats.snapshot());
    assert.equal(restarted.latency.p50Ms, 120);
    stats.reset();
    assert.equal(new CompletionStats(store).snapshot().requests, 0);
    assert.equal(new CompletionStats(store).snapshot().latency.count, 0);
  });

  it('notifies listeners of every change until they unsubscribe', () => {
    const stats = new CompletionStats();
    let changes = 0;
    const unsubscribe = stats.onDidChange(() => changes++);
    stats.recordRequest();
    stats.reset();
    unsubscribe();
    stats.recordRequest();
    assert.equal(changes, 2);
  });

  it('starts empty from a state it cannot trust', () => {
    assert.equal(parseState(undefined), undefined);
    assert.equal(parseState({ version: 99 }), undefined);
    assert.equal(parseState({ version: 1, requests: -1, shown: 0, accepted: 0, generatedTokens: 0, generationMs: 0 }), undefined);
    assert.equal(new CompletionStats(memoryStore('garbage')).snapshot().requests, 0);
  });

  it('uses the nearest rank for percentiles', () => {
    assert.equal(percentile([], 0.5), undefined);
    assert.equal(percentile([7], 0.95), 7);
    assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
    assert.equal(percentile([1, 2, 3, 4], 0.95), 4);
  });

  it('formats one line for notifications', () => {
    const stats = new CompletionStats();
    stats.recordRequest();
    stats.recordSuggestion();
    stats.recordAccepted();
    stats.recordLatency(80);
    stats.recordGeneration({ generatedTokens: 25, durationMs: 1000 });
    assert.equal(formatStats(stats.snapshot()), '1 requests, 1 shown, 1 accepted (100.0%); latency p50 80 ms, p95 80 ms; 25.0 tokens/s');
  });

  it('counts a language alone when the totals are counted elsewhere', () => {
    const stats = new CompletionStats();
    stats.recordRequest();
    stats.recordLanguage('go', 'requests');
    stats.recordLanguage('go', 'shown');
    const snapshot = stats.snapshot();
    assert.equal(snapshot.requests, 1);
    assert.equal(snapshot.suggestions, 0);
    assert.deepEqual(snapshot.languages, [{ languageId: 'go', requests: 1, shown: 1, accepted: 0 }]);
  });
});
