import * as vscode from 'vscode';
import { promptShapeOf } from '../../core/completion/template';
import { continuationPrompt } from '../../core/prompts/codePrompt';
import { fitPrompt, generationBudget } from '../../core/prompts/promptBudget';
import type { CommandDeps } from './commandDeps';
import { activeEditor, cursorContextOf } from './editorContext';
import { type EditorGenerationResult, streamIntoEditor } from './streamIntoEditor';

/**
 * "Continue from Cursor": long-form, left-to-right writing from the text before the cursor, up to
 * `localGpt.prompt.maxTokens` tokens (at most half the model's context), streamed into the
 * document as one undo step.
 */
export async function continueFromCursor(deps: CommandDeps): Promise<EditorGenerationResult> {
  const editor = activeEditor();
  const cursor = editor.selection.active;
  const range = new vscode.Range(cursor, cursor);
  const context = cursorContextOf(editor, range);
  if (context.prefix.trim().length === 0) {
    throw new Error('Nothing to continue from: write the start of the code, then run "Continue from Cursor" at its end.');
  }
  const settings = deps.settings();
  return deps.runner.run('continuing from the cursor', async (signal, progress) => {
    const engine = await deps.engine.loaded(progress);
    const info = await engine.info();
    const budget = generationBudget(settings.prompt.maxTokens, settings.context.maxTokens, info.contextTokens);
    const shape = promptShapeOf(info.specialTokens);
    const fitted = await fitPrompt(engine, context.prefix, '', budget.contextTokens, (prefix) => {
      const parts = continuationPrompt({ ...context, prefix, suffix: '' }, shape);
      return { parts, value: parts };
    });
    return streamIntoEditor(
      editor,
      range,
      { engine, prompt: fitted.prompt, options: { maxNewTokens: budget.maxNewTokens, temperature: 0 } },
      signal,
      progress,
      deps.stats,
    );
  });
}
