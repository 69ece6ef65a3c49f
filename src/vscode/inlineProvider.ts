import * as vscode from 'vscode';
import { inlineEnabledFor, Settings } from '../core/settings';
import { CompletionStats } from '../core/stats';

/**
 * Ghost-text completions from the local model. The inference engine is not part of this build
 * yet, so every request returns no items; requests are still counted and announced so that
 * tests (and the statistics command) can see the provider is wired into the editor.
 */
export class LocalGptInlineProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private readonly requested = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires for every request VS Code makes, before any filtering by settings. */
  readonly onDidRequest = this.requested.event;

  constructor(
    private readonly stats: CompletionStats,
    private readonly settingsFor: (document: vscode.TextDocument) => Settings,
  ) {}

  provideInlineCompletionItems(
    document: vscode.TextDocument,
    _position: vscode.Position,
    _context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): vscode.ProviderResult<vscode.InlineCompletionList> {
    this.requested.fire(document);
    if (token.isCancellationRequested || !inlineEnabledFor(this.settingsFor(document), document.languageId)) {
      return undefined;
    }
    this.stats.recordRequest();
    return new vscode.InlineCompletionList([]);
  }

  dispose(): void {
    this.requested.dispose();
  }
}
