import * as vscode from 'vscode';
import { inlineEnabledFor, type Settings } from '../core/settings';
import { completionRequestFor, looksBinaryAt, type RecentEdits } from './documentContext';
import type { PipelineSession } from './pipelineSession';
import type { WorkerModelService } from './workerModelService';

/**
 * Prefill ahead: warms the worker's KV cache with the prompt of the cursor's position when a file
 * is opened or focused, when the model becomes ready, and when typing pauses, so that the next
 * suggestion only pays for the text typed since (a cold prompt costs most of a suggestion's
 * time). The pipeline never lets a prefill compete with a generation, and any completion request
 * cancels it.
 */

/** Quiet time after the last edit that counts as a pause; longer than the provider's debounce. */
const MIN_PAUSE_MS = 400;
/** A newly focused editor is warmed after this delay, so flicking through tabs costs nothing. */
const FOCUS_DELAY_MS = 150;

export class PrefillAhead implements vscode.Disposable {
  private readonly prefilled = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires when a prefill ran to its end (not cut short) for a document; for tests. */
  readonly onDidPrefill = this.prefilled.event;
  private timer: NodeJS.Timeout | undefined;
  private controller: AbortController | undefined;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly pipelines: PipelineSession,
    models: Pick<WorkerModelService, 'onDidChangeState'>,
    private readonly recentEdits: RecentEdits,
    private readonly settingsFor: (document: vscode.TextDocument) => Settings,
  ) {
    this.disposables = [
      vscode.window.onDidChangeActiveTextEditor(() => this.schedule(FOCUS_DELAY_MS)),
      models.onDidChangeState((state) => state.kind === 'ready' && this.schedule(FOCUS_DELAY_MS)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) {
          const debounceMs = this.settingsFor(event.document).inlineCompletions.debounceMs;
          this.schedule(Math.max(MIN_PAUSE_MS, 4 * debounceMs));
        }
      }),
    ];
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.timer = setTimeout(() => this.prefill(), delayMs);
  }

  private prefill(): void {
    const editor = vscode.window.activeTextEditor;
    const pipeline = this.pipelines.current();
    if (!editor || !pipeline || !inlineEnabledFor(this.settingsFor(editor.document), editor.document.languageId)) {
      return;
    }
    const position = editor.selection.active;
    if (looksBinaryAt(editor.document, position)) {
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    void pipeline.prefill(completionRequestFor(editor.document, position, this.recentEdits), controller.signal).then(() => {
      if (!controller.signal.aborted) {
        this.prefilled.fire(editor.document);
      }
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.controller?.abort();
    this.prefilled.dispose();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }
}
