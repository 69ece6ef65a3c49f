import type * as vscode from 'vscode';
import { type PromptShape, promptShapeOf } from '../../core/completion/template';
import type { PromptPart } from '../../core/engine';
import type { CursorContext } from '../../core/prompts/codePrompt';
import { fitPrompt, generationBudget } from '../../core/prompts/promptBudget';
import type { CommandDeps } from './commandDeps';
import { type EditorGenerationResult, streamIntoEditor } from './streamIntoEditor';

/**
 * One generation command into the editor, from waiting for the model to the last edit: the
 * budget from `localGpt.prompt.maxTokens` and the model's context, the prompt built by `build`
 * from the text around `range` cut to that budget, then the stream into `range`.
 */
export function runEditorGeneration(
  deps: CommandDeps,
  title: string,
  editor: vscode.TextEditor,
  range: vscode.Range,
  context: CursorContext,
  build: (windowed: CursorContext, shape: PromptShape) => PromptPart[],
  stopSequences?: readonly string[],
): Promise<EditorGenerationResult> {
  const settings = deps.settings();
  return deps.runner.run(title, async (signal, progress) => {
    const engine = await deps.engine.loaded(progress);
    const info = await engine.info();
    const budget = generationBudget(settings.prompt.maxTokens, settings.context.maxTokens, info.contextTokens);
    const shape = promptShapeOf(info.specialTokens);
    const fitted = await fitPrompt(engine, context.prefix, context.suffix, budget.contextTokens, (prefix, suffix) => {
      const parts = build({ ...context, prefix, suffix }, shape);
      return { parts, value: parts };
    });
    const request = { engine, prompt: fitted.prompt, options: { maxNewTokens: budget.maxNewTokens, temperature: 0, stopSequences } };
    return streamIntoEditor(editor, range, request, signal, progress, deps.stats);
  });
}
