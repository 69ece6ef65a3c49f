import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StatsSnapshot } from '../../src/core/stats';
import { CompletionStats } from '../../src/core/stats';
import { type InlineStatsEvent, recordInlineStats } from '../../src/vscode/inlineStats';
import type { RenderedStats } from '../../src/vscode/statsView';
import { activatedApi, nextEvent } from './extension';

describe('stats view', () => {
  it('draws the histogram, p50/p95, acceptance, tokens/s and languages under a strict CSP', async () => {
    const api = await activatedApi();
    await vscode.commands.executeCommand('localGpt.resetStats');
    const stats = api.stats;
    for (const latency of [40, 90, 120, 130, 700]) stats.recordLatency(latency);
    for (let i = 0; i < 4; i++) {
      stats.recordRequest('typescript');
      stats.recordSuggestion('typescript');
    }
    stats.recordAccepted('typescript');
    stats.recordRequest('python');
    stats.recordGeneration({ generatedTokens: 50, durationMs: 2000 });
    const rendered = nextEvent(api.commands.statsView.onDidRender, (view: RenderedStats) => view.shown === '4', 60_000);
    const snapshot = await vscode.commands.executeCommand<StatsSnapshot>('localGpt.showStats');
    assert.equal(snapshot.suggestions, 4);
    const view = await rendered;
    assert.deepEqual(view, {
      p50: '120 ms',
      p95: '700 ms',
      shown: '4',
      accepted: '1',
      acceptance: '25.0%',
      tokensPerSecond: '25.0 tokens/s',
      histogramBars: snapshot.latency.histogram.length,
      languages: ['typescript', 'python'],
    });
    const html = api.commands.statsView.html!;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{20,}'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*(?!\.)/);
    // No remote resources: the only URLs are the extension's own media files, as webview URIs.
    const urls = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(urls.map((url) => url.replace(/^.*\/media\//, 'media/')), ['media/stats.css', 'media/stats.js']);
    assert.equal(new Set(urls.map((url) => url.replace(/\/media\/.*$/, ''))).size, 1, 'both from the extension folder');
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="[^"]+" src="[^"]+media\/stats\.js"><\/script>/);
  });

  it('redraws empty figures after Reset Completion Statistics', async () => {
    const api = await activatedApi();
    api.stats.recordSuggestion('go');
    await vscode.commands.executeCommand('localGpt.showStats');
    const cleared = nextEvent(api.commands.statsView.onDidRender, (view: RenderedStats) => view.shown === '0', 60_000);
    const snapshot = await vscode.commands.executeCommand<StatsSnapshot>('localGpt.resetStats');
    assert.equal(snapshot.suggestions, 0);
    assert.equal(snapshot.latency.count, 0);
    const view = await cleared;
    assert.equal(view.p50, '–');
    assert.deepEqual(view.languages, []);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('takes latency, speed and languages from the inline completion events', async () => {
    // Part of the activated extension's suite: with a broken activation nothing here may pass.
    await activatedApi();
    const events = new vscode.EventEmitter<InlineStatsEvent>();
    const stats = new CompletionStats();
    const subscription = recordInlineStats({ onDidRecord: events.event }, stats);
    events.fire({ kind: 'requested', languageId: 'rust' });
    events.fire({ kind: 'shown', languageId: 'rust', latencyMs: 180 });
    events.fire({ kind: 'accepted', languageId: 'rust' });
    events.fire({ kind: 'generated', generatedTokens: 30, durationMs: 600 });
    subscription.dispose();
    events.fire({ kind: 'shown', languageId: 'rust', latencyMs: 999 });
    const snapshot = stats.snapshot();
    assert.deepEqual(snapshot.languages, [{ languageId: 'rust', requests: 1, shown: 1, accepted: 1 }]);
    assert.equal(snapshot.latency.p50Ms, 180);
    assert.equal(snapshot.latency.count, 1);
    assert.equal(snapshot.tokensPerSecond, 50);
    assert.equal(snapshot.requests, 0, 'totals stay with the provider\'s recorder');
    events.dispose();
  });
});
