import * as vscode from 'vscode';
import type { CompletionResult } from '../core/completion/types';
import type { CompletionStats } from '../core/stats';

/**
 * What inline completion did, one event at a time, for the statistics: the session counters of
 * `CompletionStats` today, and the persisted stats view (which subscribes to
 * `onDidRecord`). Plain data: nothing here leaves the machine.
 */
export type InlineCompletionEvent =
  /** The provider was asked for a suggestion in a language where completions are on. */
  | { readonly kind: 'requested'; readonly languageId: string }
  /** A suggestion was handed to the editor for the first time. */
  | {
      readonly kind: 'shown';
      readonly languageId: string;
      /** From the end of the debounce to the suggestion reaching the editor. */
      readonly latencyMs: number;
      /** 'streaming': shown while the model was still writing (the usual case). */
      readonly source: CompletionResult['source'] | 'streaming';
    }
  /** A generation ended; tokens per second over the whole request, prompt included. */
  | {
      readonly kind: 'generated';
      readonly languageId: string;
      readonly promptTokens: number;
      readonly reusedPromptTokens: number;
      readonly generatedTokens: number;
      readonly durationMs: number;
      readonly tokensPerSecond: number;
    }
  /** The user accepted a whole suggestion (Tab); partial accepts are not reported by VS Code. */
  | { readonly kind: 'accepted'; readonly languageId: string; readonly characters: number };

export interface CompletionEventSink {
  record(event: InlineCompletionEvent): void;
}

/** Counts the events into the session's CompletionStats and re-announces them to subscribers. */
export class CompletionEventRecorder implements CompletionEventSink, vscode.Disposable {
  private readonly recorded = new vscode.EventEmitter<InlineCompletionEvent>();
  readonly onDidRecord = this.recorded.event;

  constructor(private readonly stats: CompletionStats) {}

  record(event: InlineCompletionEvent): void {
    switch (event.kind) {
      case 'requested':
        this.stats.recordRequest();
        break;
      case 'shown':
        this.stats.recordSuggestion();
        break;
      case 'accepted':
        this.stats.recordAccepted();
        break;
      case 'generated':
        break;
    }
    this.recorded.fire(event);
  }

  dispose(): void {
    this.recorded.dispose();
  }
}
