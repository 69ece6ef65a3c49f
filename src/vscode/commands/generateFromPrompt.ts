import * as vscode from 'vscode';
import { promptShapeOf } from '../../core/completion/template';
import { instructionPrompt } from '../../core/prompts/codePrompt';
import { fitPrompt, generationBudget } from '../../core/prompts/promptBudget';
import type { CommandDeps } from './commandDeps';
import { activeEditor, cursorContextOf } from './editorContext';
import { pickPrompt } from './promptPicker';
import { type EditorGenerationResult, streamIntoEditor } from './streamIntoEditor';

export interface GenerateFromPromptArgs {
  /** The instruction; without it the command asks for one (with the history). */
  readonly prompt?: string;
}

/**
 * "Generate Code from Prompt": asks for an instruction (or takes it as an argument, for
 * keybindings and tests) and streams the model's code into the editor at the cursor, replacing
 * the selection if there is one. Resolves when the document holds the whole result; undefined
 * when the user dismissed the prompt.
 */
export async function generateFromPrompt(deps: CommandDeps, args?: GenerateFromPromptArgs): Promise<EditorGenerationResult | undefined> {
  const editor = activeEditor();
  const instruction = (args?.prompt ?? (await pickPrompt(deps.history)))?.trim();
  if (!instruction) {
    return undefined;
  }
  await deps.history.add(instruction);
  const range = new vscode.Range(editor.selection.start, editor.selection.end);
  const context = cursorContextOf(editor, range);
  const settings = deps.settings();
  return deps.runner.run('generating code', async (signal, progress) => {
    const engine = await deps.engine.loaded(progress);
    const info = await engine.info();
    const budget = generationBudget(settings.prompt.maxTokens, settings.context.maxTokens, info.contextTokens);
    const shape = promptShapeOf(info.specialTokens);
    const fitted = await fitPrompt(engine, context.prefix, context.suffix, budget.contextTokens, (prefix, suffix) => {
      const parts = instructionPrompt({ ...context, prefix, suffix }, instruction, shape);
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
