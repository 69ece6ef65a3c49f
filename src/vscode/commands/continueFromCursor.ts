import * as vscode from 'vscode';
import { continuationPrompt } from '../../core/prompts/codePrompt';
import type { CommandDeps } from './commandDeps';
import { activeEditor, cursorContextOf } from './editorContext';
import { runEditorGeneration } from './editorGeneration';
import type { EditorGenerationResult } from './streamIntoEditor';

/**
 * "Continue from Cursor": long-form, left-to-right writing from the text before the cursor, up to
 * `localGpt.prompt.maxTokens` tokens (at most half the model's context), streamed into the
 * document as one undo step. The text after the cursor is not given to the model (see
 * continuationPrompt), so it is not cut to the budget either.
 */
export async function continueFromCursor(deps: CommandDeps): Promise<EditorGenerationResult> {
  const editor = activeEditor();
  const cursor = editor.selection.active;
  const range = new vscode.Range(cursor, cursor);
  const context = { ...cursorContextOf(editor, range), suffix: '' };
  if (context.prefix.trim().length === 0) {
    throw new Error('Nothing to continue from: write the start of the code, then run "Continue from Cursor" at its end.');
  }
  return runEditorGeneration(deps, 'continuing from the cursor', editor, range, context, continuationPrompt);
}
