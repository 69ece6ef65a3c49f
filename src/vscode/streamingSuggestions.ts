import * as vscode from 'vscode';
import type { CompletionPipeline } from '../core/completion/completionPipeline';
import type { CompletionRequest, CompletionResult } from '../core/completion/types';

/**
 * Streaming ghost text. VS Code asks a provider once per position and shows what it returns, so a
 * suggestion cannot grow by itself. A SuggestionStream keeps generating after the provider has
 * returned the first complete line; when more lines arrive (or the final post-processing changes
 * the text) it re-triggers inline suggestions, and the provider answers the re-query at the same
 * position from the stream at once. VS Code does not re-query for an explicit trigger at a
 * position already answered for an explicit one, so from the second growth on the re-trigger
 * first hides the suggestion (see `regrow`).
 */

export type StreamEnd =
  | { readonly kind: 'result'; readonly result: CompletionResult | undefined; readonly durationMs: number }
  | { readonly kind: 'error'; readonly error: unknown };

export class SuggestionStream {
  /** The best suggestion so far: complete lines while streaming, then the final text. */
  private shownText = '';
  private ended: StreamEnd | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Text last handed to VS Code, and whether that answer was to an explicit trigger. */
  private returned: { text: string; explicit: boolean } | undefined;
  private dismissed = false;
  private regrowing = false;
  private attempted: string | undefined;
  readonly startedAt = Date.now();

  constructor(
    readonly document: vscode.TextDocument,
    readonly version: number,
    readonly offset: number,
    readonly languageId: string,
    private readonly onEnd: (stream: SuggestionStream, end: StreamEnd) => void,
  ) {}

  get text(): string {
    return this.shownText;
  }

  /** Where the suggestion came from: known at the end; 'streaming' while the model still writes. */
  get source(): CompletionResult['source'] | 'streaming' {
    return this.ended?.kind === 'result' ? (this.ended.result?.source ?? 'generated') : 'streaming';
  }

  get isFinished(): boolean {
    return this.ended !== undefined;
  }

  get wasReturned(): boolean {
    return this.returned !== undefined;
  }

  /** Runs the pipeline; the stream grows by complete lines until the final result replaces them. */
  run(pipeline: CompletionPipeline, request: CompletionRequest, signal: AbortSignal): void {
    pipeline
      .complete(request, {
        signal,
        onUpdate: (text) => {
          this.shownText = text;
          this.changed.fire();
        },
      })
      .then(
        (result) => this.end({ kind: 'result', result, durationMs: Date.now() - this.startedAt }),
        (error: unknown) => this.end({ kind: 'error', error }),
      );
  }

  private end(end: StreamEnd): void {
    this.ended = end;
    this.shownText = end.kind === 'result' ? (end.result?.completion ?? '') : '';
    this.changed.fire();
    this.onEnd(this, end);
    this.changed.dispose();
  }

  matches(document: vscode.TextDocument, position: vscode.Position): boolean {
    return document === this.document && document.version === this.version && document.offsetAt(position) === this.offset;
  }

  /** Resolves once there is something to show (a complete line) or the stream ended. */
  async firstShowable(signal: AbortSignal): Promise<void> {
    if (this.shownText.length > 0 || this.ended || signal.aborted) {
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        listener.dispose();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const listener = this.changed.event(() => (this.shownText.length > 0 || this.ended) && done());
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Notes what VS Code was given, so that later growth can be told apart from it. */
  markReturned(text: string, explicit: boolean): void {
    this.returned = { text, explicit };
  }

  /** The user hid the suggestion (Escape): growing must not bring it back. */
  dismiss(): void {
    this.dismissed = true;
  }

  /** Calls `listener` whenever the text changes; for streams that were returned to VS Code. */
  onDidChange(listener: () => void): vscode.Disposable {
    return this.ended ? new vscode.Disposable(() => undefined) : this.changed.event(listener);
  }

  /**
   * Shows the grown (or finally replaced) text: when it differs from what VS Code holds and the
   * editor still sits where the suggestion was asked for, asks VS Code to query the provider again.
   */
  async regrow(): Promise<void> {
    if (this.regrowing) {
      return;
    }
    this.regrowing = true;
    try {
      // Each text is asked for once: a re-query VS Code skips must not become a loop.
      while (this.returned && !this.dismissed && this.shownText !== this.returned.text && this.shownText !== this.attempted && this.isAtCursor()) {
        this.attempted = this.shownText;
        if (this.returned.explicit) {
          await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
        }
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      }
    } finally {
      this.regrowing = false;
    }
  }

  /** Whether the editor's only cursor is where the suggestion was asked for, in the same text. */
  isAtCursor(): boolean {
    const editor = vscode.window.activeTextEditor;
    return (
      editor !== undefined &&
      editor.document === this.document &&
      this.document.version === this.version &&
      editor.selections.length === 1 &&
      editor.selection.isEmpty &&
      this.document.offsetAt(editor.selection.active) === this.offset
    );
  }
}
