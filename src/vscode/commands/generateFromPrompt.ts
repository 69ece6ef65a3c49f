import * as vscode from 'vscode';
import { INSTRUCTION_STOP_SEQUENCES, instructionPrompt } from '../../core/prompts/codePrompt';
import type { CommandDeps } from './commandDeps';
import { activeEditor, cursorContextOf } from './editorContext';
import { runEditorGeneration } from './editorGeneration';
import { pickPrompt } from './promptPicker';
import type { EditorGenerationResult } from './streamIntoEditor';

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
  return runEditorGeneration(
    deps,
    'generating code',
    editor,
    range,
    cursorContextOf(editor, range),
    (context, shape) => instructionPrompt(context, instruction, shape),
    INSTRUCTION_STOP_SEQUENCES,
  );
}
