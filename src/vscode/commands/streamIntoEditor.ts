import * as vscode from 'vscode';
import type { CompletionEngine, GenerateOptions, GenerateResult, PromptPart } from '../../core/engine';
import type { CompletionStats } from '../../core/stats';
import type { GenerationProgress } from './generationRunner';
import { StreamingInsertion } from './streamingInsertion';

/** What a generation command did to the document; also the command's return value. */
export interface EditorGenerationResult {
  /** The text written into the document (in its line endings). */
  readonly inserted: string;
  /** Why the generation ended; `interrupted` when the document changed under the stream. */
  readonly stopReason: GenerateResult['stopReason'] | 'interrupted';
  readonly generatedTokens: number;
  /** How many edits the stream used; together they are one undo step. */
  readonly edits: number;
  /** A save during the stream split its undo step, so the text was put in again as one step. */
  readonly reinserted: boolean;
  readonly interruption?: string;
}

export interface StreamRequest {
  readonly engine: CompletionEngine;
  readonly prompt: readonly PromptPart[];
  readonly options: Omit<GenerateOptions, 'signal'>;
}

/**
 * Generates into `range` of the editor (the selection, or the cursor), streaming each delta
 * into the document as part of a single undo step, and waits until the document holds all of it.
 */
export async function streamIntoEditor(
  editor: vscode.TextEditor,
  range: vscode.Range,
  request: StreamRequest,
  signal: AbortSignal,
  progress: GenerationProgress,
  stats: CompletionStats,
): Promise<EditorGenerationResult> {
  const insertion = new StreamingInsertion(editor, range);
  const stopOnEdit = new AbortController();
  let interruption: string | undefined;
  insertion.onInterrupted((reason) => {
    interruption = reason;
    stopOnEdit.abort();
  });
  const started = Date.now();
  let deltas = 0;
  try {
    // Whatever happens, the text already generated is written and the undo step closed.
    const result = await request.engine
      .generate(request.prompt, { ...request.options, signal: AbortSignal.any([signal, stopOnEdit.signal]) }, (delta) => {
        insertion.append(delta);
        deltas++;
        progress.report(`${deltas} tokens written. Press Escape to stop.`);
      })
      .finally(() => insertion.finish());
    stats.recordGeneration({ generatedTokens: result.generatedTokens, durationMs: Date.now() - started });
    // The engine serves the newest request first: an inline completion can take it over.
    if (result.stopReason === 'cancelled' && !signal.aborted && interruption === undefined) {
      interruption = 'Another request to the model (an inline completion) interrupted the generation. Run the command again.';
    }
    if (interruption !== undefined) {
      void vscode.window.showWarningMessage(`Local GPT: ${interruption}`);
    }
    return {
      inserted: insertion.text,
      stopReason: interruption === undefined ? result.stopReason : 'interrupted',
      generatedTokens: result.generatedTokens,
      edits: insertion.editCount,
      reinserted: insertion.reinserted,
      interruption,
    };
  } finally {
    insertion.dispose();
  }
}
