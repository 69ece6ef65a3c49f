import * as vscode from 'vscode';
import type { CompletionPipeline } from '../core/completion/completionPipeline';
import type { CompletionRequest, CompletionResult } from '../core/completion/types';
import type { PendingInsertion } from './selectedCompletion';

/**
 * Streaming ghost text within what VS Code 1.100's stable API allows. VS Code shows what a
 * provider returns and asks again only when the text changes or a trigger comes; and it does not
 * ask again for an explicit trigger at a position it already answered explicitly. So:
 *
 * 1. The provider returns the first complete line as soon as the model has written it.
 * 2. When the model completes the next line, the stream re-triggers inline suggestions once (not
 *    earlier: a trigger that reaches VS Code before the first answer would cancel it). VS Code
 *    keeps showing the first line while it waits, and the provider holds this answer until the
 *    model is done: the whole suggestion then replaces the first line, with no blank between.
 * 3. Only when that cannot work (the first answer was itself to an explicit trigger) does the
 *    stream, once done, hide and trigger again; the UI test measured that the ghost text is gone
 *    for a few hundred milliseconds then, so it is the exception.
 *
 * Growing line by line would need that hide before every line, and the final post-processing
 * may take back streamed text, so the second step shows the finished suggestion.
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
  private requeried = false;
  private shown = false;
  readonly startedAt = Date.now();

  constructor(
    readonly document: vscode.TextDocument,
    readonly version: number,
    readonly offset: number,
    readonly languageId: string,
    /** The suggest widget's item the suggestion extends, when the widget was open. */
    readonly insertion: PendingInsertion | undefined,
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

  /** Whether VS Code was ever handed a non-empty suggestion from this stream. */
  get wasShown(): boolean {
    return this.shown;
  }

  /** Runs the pipeline; the stream grows by complete lines until the final result replaces them. */
  run(pipeline: CompletionPipeline, request: CompletionRequest, signal: AbortSignal): void {
    pipeline
      .complete(request, {
        signal,
        onUpdate: (text) => {
          this.shownText = text;
          this.changed.fire();
          this.followUp();
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
    this.changed.dispose();
    this.onEnd(this, end);
    this.followUp();
  }

  /** After the first answer: asks VS Code for the grown or final text (steps 2 and 3 above). */
  private followUp(): void {
    if (!this.returned || this.requeried || this.shownText === this.returned.text) {
      return;
    }
    if (!this.returned.explicit) {
      void this.requery(false);
    } else if (this.ended) {
      void this.requery(true);
    }
  }

  matches(document: vscode.TextDocument, position: vscode.Position, insertion: PendingInsertion | undefined): boolean {
    return (
      document === this.document &&
      document.version === this.version &&
      document.offsetAt(position) === this.offset &&
      insertion?.text === this.insertion?.text &&
      (insertion === undefined || insertion.range.isEqual(this.insertion!.range))
    );
  }

  /** The item for VS Code: the widget's item text (if any) followed by the suggestion, over its range. */
  item(text: string): { insertText: string; range: vscode.Range } {
    const position = this.document.positionAt(this.offset);
    return this.insertion
      ? { insertText: this.insertion.text + text, range: this.insertion.range }
      : { insertText: text, range: new vscode.Range(position, position) };
  }

  /**
   * Resolves when the stream has something new for a query: the first complete line for the
   * first query, the end of the stream for a re-query (see step 2 above), or when `signal` aborts.
   */
  async ready(signal: AbortSignal): Promise<void> {
    const isReady = () => (this.returned ? this.ended !== undefined : this.shownText.length > 0 || this.ended !== undefined);
    if (isReady() || signal.aborted) {
      return;
    }
    await new Promise<void>((resolve) => {
      const done = () => {
        listener.dispose();
        signal.removeEventListener('abort', done);
        resolve();
      };
      const listener = this.changed.event(() => isReady() && done());
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /** Notes what VS Code was given, which later growth is compared with. */
  markReturned(text: string, explicit: boolean): void {
    this.returned = { text, explicit };
    this.shown ||= text.length > 0;
  }

  /** The user hid the suggestion (Escape): it must not come back by itself. */
  dismiss(): void {
    this.dismissed = true;
  }

  /** Triggers inline suggestions at the stream's position, once, while the editor still sits there. */
  private async requery(hideFirst: boolean): Promise<void> {
    if (this.requeried || this.dismissed || !this.isAtCursor()) {
      return;
    }
    this.requeried = true;
    if (hideFirst) {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.hide');
    }
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
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
