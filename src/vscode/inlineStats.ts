import type * as vscode from 'vscode';
import type { CompletionStats } from '../core/stats';

/**
 * The inline completion events the statistics read, as src/vscode/completionEvents.ts announces
 * them (declared structurally here so the stats do not depend on the provider's internals).
 */
export type InlineStatsEvent =
  | { readonly kind: 'requested'; readonly languageId: string }
  | { readonly kind: 'shown'; readonly languageId: string; readonly latencyMs: number }
  | { readonly kind: 'generated'; readonly generatedTokens: number; readonly durationMs: number }
  | { readonly kind: 'accepted'; readonly languageId: string };

export interface InlineStatsEvents {
  readonly onDidRecord: vscode.Event<InlineStatsEvent>;
}

/**
 * Adds what the provider's event recorder leaves to the stats view: per-language counts, the
 * suggestion latency and the decoding speed. The recorder itself counts the totals (requests,
 * shown, accepted), so they are not counted twice here.
 */
export function recordInlineStats(events: InlineStatsEvents, stats: CompletionStats): vscode.Disposable {
  return events.onDidRecord((event) => {
    switch (event.kind) {
      case 'requested':
        stats.recordLanguage(event.languageId, 'requests');
        break;
      case 'shown':
        stats.recordLanguage(event.languageId, 'shown');
        stats.recordLatency(event.latencyMs);
        break;
      case 'accepted':
        stats.recordLanguage(event.languageId, 'accepted');
        break;
      case 'generated':
        stats.recordGeneration({ generatedTokens: event.generatedTokens, durationMs: event.durationMs });
        break;
    }
  });
}
