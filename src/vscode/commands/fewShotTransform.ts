import * as vscode from 'vscode';
import { type FewShotTask, parseFewShotSelection } from '../../core/prompts/fewShotExamples';
import { fewShotTokenBudget, generateFewShotOutput } from '../../core/prompts/fewShotGeneration';
import { filledLine } from '../../core/prompts/fewShotPrompt';
import type { CommandDeps } from './commandDeps';
import { activeEditor } from './editorContext';

export interface FewShotLine {
  /** Line number in the document (0-based). */
  readonly line: number;
  readonly input: string;
  /** What the model produced; undefined when it produced nothing usable. */
  readonly output?: string;
}

export interface FewShotResult {
  readonly separator: string;
  readonly examples: number;
  readonly lines: readonly FewShotLine[];
  /** `cancelled` when stopped before every input was done; the finished ones are applied. */
  readonly stopReason: 'done' | 'cancelled';
}

/**
 * "Transform Selection by Examples (Few-Shot)": the selected lines hold examples
 * `input → output` and new inputs; the model completes each new input by in-context learning.
 * Inputs are generated one after another (their prompts share the examples, so the KV cache is
 * reused), then all filled lines are applied in one edit: one undo step, and a document that
 * never shows half a transform.
 */
export async function fewShotTransform(deps: CommandDeps): Promise<FewShotResult> {
  const editor = activeEditor();
  const document = editor.document;
  const firstLine = editor.selection.start.line;
  // A selection that ends at the start of a line does not include that line.
  const lastLine = editor.selection.end.character === 0 && editor.selection.end.line > firstLine ? editor.selection.end.line - 1 : editor.selection.end.line;
  if (editor.selection.isEmpty) {
    throw new Error('Select example lines such as "fooBar → foo_bar" followed by new inputs, then run the transform.');
  }
  const lines = Array.from({ length: lastLine - firstLine + 1 }, (_, i) => document.lineAt(firstLine + i).text);
  const task = parseFewShotSelection(lines.join('\n'));
  const version = document.version;
  return deps.runner.run('transforming by examples', async (signal, progress) => {
    const engine = await deps.engine.loaded(progress);
    const maxNewTokens = await fewShotTokenBudget(engine, task, deps.settings().prompt.maxTokens);
    const filled: FewShotLine[] = [];
    for (const [index, input] of task.inputs.entries()) {
      if (signal.aborted) break;
      progress.report(`line ${index + 1} of ${task.inputs.length}. Press Escape to stop.`);
      const { output, generatedTokens, durationMs } = await generateFewShotOutput(engine, task, index, maxNewTokens, signal);
      deps.stats.recordGeneration({ generatedTokens, durationMs });
      filled.push({ line: firstLine + input.line, input: input.input, output });
    }
    const stopReason = filled.length === task.inputs.length && !signal.aborted ? 'done' : 'cancelled';
    await applyOutputs(editor, version, task, filled, firstLine);
    return { separator: task.separator, examples: task.examples.length, lines: filled, stopReason };
  });
}

async function applyOutputs(editor: vscode.TextEditor, version: number, task: FewShotTask, filled: readonly FewShotLine[], firstLine: number): Promise<void> {
  const done = filled.filter((line) => line.output !== undefined);
  if (done.length === 0) {
    return;
  }
  if (editor.document.version !== version) {
    throw new Error('The document changed during the transform, so nothing was applied. Run the transform again.');
  }
  const applied = await editor.edit((builder) => {
    for (const line of done) {
      const input = task.inputs.find((candidate) => firstLine + candidate.line === line.line)!;
      builder.replace(editor.document.lineAt(line.line).range, filledLine(task, input, line.output!));
    }
  });
  if (!applied) {
    throw new Error('The editor refused the transform (the document changed or closed). Run the transform again.');
  }
}
